package dev.blocks.webhooks.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.kit.http.Problem;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.validation.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Reading request fields of the expected JSON type, and answering violations with one 400 problem. */
final class Fields {

    private Fields() {}

    static String text(JsonNode body, String field, List<FieldError> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            violations.add(new FieldError(field, "must be a string"));
            return null;
        }
        return node.asText();
    }

    static List<String> texts(JsonNode body, String field, List<FieldError> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            violations.add(new FieldError(field, "must be an array of strings"));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                violations.add(new FieldError(field, "must be an array of strings"));
                return null;
            }
            out.add(element.asText());
        }
        return out;
    }

    static void check(List<FieldError> violations) {
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.invalid(violations));
        }
    }
}
