package dev.blocks.scheduler.store;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expression attribute names for DynamoDB expressions written with {@code #name} placeholders: every attribute is
 * aliased, so no expression ever trips over one of DynamoDB's hundreds of reserved words.
 */
final class Names {

    private static final Pattern PLACEHOLDER = Pattern.compile("#([A-Za-z][A-Za-z0-9_]*)");

    private Names() {}

    static Map<String, String> of(String... expressions) {
        Map<String, String> names = new HashMap<>();
        for (String expression : expressions) {
            if (expression == null) {
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(expression);
            while (m.find()) {
                names.put(m.group(), m.group(1));
            }
        }
        return names;
    }
}
