package dev.blocks.localcloud.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One resource instance of the plan: its planned {@code values}, and {@code unknown}, the plan's
 * {@code after_unknown} tree that marks what only apply will know (such values are absent from {@code values}).
 * Attribute paths are field names and list positions, e.g. {@code "environment", 0, "variables"}.
 */
record PlannedResource(String address, ModuleAddress module, String type, String name, JsonNode index,
                       JsonNode values, JsonNode unknown) {

    /** The value at {@code path}, or a missing/null node when it is not set; unknown values are an error. */
    JsonNode known(Object... path) {
        if (isUnknown(path)) {
            throw WiringProblem.unknown(this, describe(path));
        }
        return at(values, path);
    }

    /** Whether the value at {@code path}, or anything inside it, is only known after apply. */
    boolean isUnknown(Object... path) {
        return markedUnknown(path, true);
    }

    private boolean markedUnknown(Object[] path, boolean inside) {
        JsonNode node = unknown;
        for (Object step : path) {
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            node = step instanceof Integer position ? node.path(position) : node.path((String) step);
        }
        return node.isBoolean() ? node.booleanValue() : inside && containsUnknown(node);
    }

    /** A string attribute, or null when it is not set. */
    String text(Object... path) {
        JsonNode node = known(path);
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    String requiredText(Object... path) {
        String text = text(path);
        if (text == null || text.isEmpty()) {
            throw new WiringProblem(address + ": " + describe(path) + " is not set");
        }
        return text;
    }

    int integer(int fallback, Object... path) {
        JsonNode node = known(path);
        return node.isNumber() ? node.intValue() : fallback;
    }

    boolean bool(boolean fallback, Object... path) {
        JsonNode node = known(path);
        return node.isBoolean() ? node.booleanValue() : fallback;
    }

    List<String> strings(Object... path) {
        List<String> strings = new ArrayList<>();
        known(path).forEach(element -> strings.add(element.asText()));
        return strings;
    }

    Map<String, String> stringMap(Object... path) {
        Map<String, String> map = new LinkedHashMap<>();
        known(path).fields().forEachRemaining(field -> map.put(field.getKey(), field.getValue().asText()));
        return map;
    }

    /** How many elements a list attribute or nested block list has (0 when unset). */
    int count(Object... path) {
        if (markedUnknown(path, false)) {
            throw WiringProblem.unknown(this, describe(path));
        }
        JsonNode node = at(values, path);
        return node.isArray() ? node.size() : 0;
    }

    static String describe(Object... path) {
        StringJoiner text = new StringJoiner(".");
        for (Object step : path) {
            text.add(String.valueOf(step));
        }
        return text.toString();
    }

    private static JsonNode at(JsonNode node, Object... path) {
        JsonNode current = node;
        for (Object step : path) {
            if (current == null) {
                return MissingNode.getInstance();
            }
            current = step instanceof Integer position ? current.path(position) : current.path((String) step);
        }
        return current;
    }

    private static boolean containsUnknown(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        for (JsonNode child : node) {
            if (containsUnknown(child)) {
                return true;
            }
        }
        return false;
    }
}
