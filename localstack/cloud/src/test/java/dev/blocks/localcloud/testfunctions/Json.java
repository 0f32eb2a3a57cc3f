package dev.blocks.localcloud.testfunctions;

import java.util.Map;
import java.util.TreeMap;

/** Just enough JSON writing for test functions, which have no JSON library on their classpath. */
final class Json {

    private Json() {
    }

    static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static String environment(Map<String, String> env) {
        StringBuilder out = new StringBuilder("{");
        new TreeMap<>(env).forEach((name, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(string(name)).append(':').append(string(value));
        });
        return out.append('}').toString();
    }

    /** The number after {@code "field":} in a flat JSON document, or {@code otherwise}. */
    static long number(String json, String field, long otherwise) {
        var matcher = java.util.regex.Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : otherwise;
    }

    /** The string after {@code "field":} in a flat JSON document without escapes, or null. */
    static String text(String json, String field) {
        var matcher = java.util.regex.Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return matcher.find() ? matcher.group(1) : null;
    }
}
