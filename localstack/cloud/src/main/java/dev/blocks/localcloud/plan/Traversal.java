package dev.blocks.localcloud.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Terraform address or expression reference split into its steps, such as
 * {@code module.api["eu"].aws_lambda_function.this[0].arn}: names, and index keys kept as the JSON values the
 * plan uses for {@code index} (numbers for {@code count}, strings for {@code for_each}).
 */
record Traversal(List<Step> steps) {

    /** One step: a {@code name}, optionally followed by a literal index {@code key} (null when there is none). */
    record Step(String name, JsonNode key) {}

    static Traversal parse(String text) {
        List<Step> steps = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && text.charAt(i) != '.' && text.charAt(i) != '[') {
                i++;
            }
            String name = text.substring(start, i);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("not a Terraform address: " + text);
            }
            JsonNode key = null;
            if (i < text.length() && text.charAt(i) == '[') {
                int close = closingBracket(text, i);
                key = key(text.substring(i + 1, close), text);
                i = close + 1;
            }
            steps.add(new Step(name, key));
            if (i < text.length()) {
                if (text.charAt(i) != '.') {
                    throw new IllegalArgumentException("not a Terraform address: " + text);
                }
                i++;
            }
        }
        return new Traversal(List.copyOf(steps));
    }

    String name(int position) {
        return position < steps.size() ? steps.get(position).name() : null;
    }

    int size() {
        return steps.size();
    }

    private static int closingBracket(String text, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == ']') {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed index in Terraform address: " + text);
    }

    private static JsonNode key(String literal, String text) {
        if (literal.startsWith("\"") && literal.endsWith("\"") && literal.length() >= 2) {
            return TextNode.valueOf(unquote(literal.substring(1, literal.length() - 1)));
        }
        try {
            return IntNode.valueOf(Integer.parseInt(literal));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("index is neither a number nor a string in " + text, e);
        }
    }

    private static String unquote(String body) {
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 == body.length()) {
                out.append(c);
                continue;
            }
            char escaped = body.charAt(++i);
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(escaped);
            }
        }
        return out.toString();
    }
}
