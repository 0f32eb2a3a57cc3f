package dev.blocks.localcloud.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads a function's answer to an SQS batch when the mapping has {@code ReportBatchItemFailures}, with Lambda's
 * rules: an empty or null answer, or a null or empty {@code batchItemFailures}, means every message succeeded;
 * anything Lambda cannot trust (not JSON, not an object, an item without a non-empty {@code itemIdentifier}, or
 * an identifier that names no message of the batch) fails the whole batch.
 */
final class PartialBatchResponse {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PartialBatchResponse() {}

    /** The ids of the messages to keep, or throws {@link Invalid} when the whole batch counts as failed. */
    static Set<String> failedMessageIds(byte[] response, Set<String> batchMessageIds) throws Invalid {
        if (response == null || response.length == 0) {
            return Set.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(response);
        } catch (IOException e) {
            throw new Invalid("the response is not JSON");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Set.of();
        }
        if (!root.isObject()) {
            throw new Invalid("the response is not a JSON object");
        }
        JsonNode failures = root.get("batchItemFailures");
        if (failures == null || failures.isNull()) {
            return Set.of();
        }
        if (!failures.isArray()) {
            throw new Invalid("batchItemFailures is not a list");
        }
        Set<String> failed = new LinkedHashSet<>();
        for (JsonNode failure : failures) {
            JsonNode id = failure.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                throw new Invalid("a batch item failure has no itemIdentifier: " + failure);
            }
            if (!batchMessageIds.contains(id.asText())) {
                throw new Invalid("itemIdentifier " + id.asText() + " is not a message of the batch");
            }
            failed.add(id.asText());
        }
        return failed;
    }

    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }
}
