package dev.blocks.uploads.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A media type as a client declares it ({@code type/subtype; name=value ...}), in one canonical spelling: type,
 * subtype and parameter names lower-cased, parameters separated by {@code "; "}. The canonical form is what the
 * upload URL signs as Content-Type and what the stored object must carry, so two spellings of one type never
 * disagree.
 */
public record MediaType(String type, String subtype, List<String> parameters) {

    public static final int MAX_LENGTH = 255;

    // RFC 6838 restricted-name; RFC 9110 token and quoted-string for parameters.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern QUOTED = Pattern.compile("\"([\\t\\x20-\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t\\x20-\\x7e])*\"");

    public static Optional<MediaType> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] pieces = text.split(";", -1);
        String essence = pieces[0].trim();
        int slash = essence.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String type = essence.substring(0, slash);
        String subtype = essence.substring(slash + 1);
        if (!NAME.matcher(type).matches() || !NAME.matcher(subtype).matches()) {
            return Optional.empty();
        }
        List<String> parameters = new ArrayList<>();
        for (int i = 1; i < pieces.length; i++) {
            String parameter = pieces[i].trim();
            int eq = parameter.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String name = parameter.substring(0, eq);
            String value = parameter.substring(eq + 1);
            if (!TOKEN.matcher(name).matches()
                    || !(TOKEN.matcher(value).matches() || QUOTED.matcher(value).matches())) {
                return Optional.empty();
            }
            parameters.add(name.toLowerCase(Locale.ROOT) + "=" + value);
        }
        return Optional.of(new MediaType(type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT), List.copyOf(parameters)));
    }

    /** {@code type/subtype} without parameters, what policies match on. */
    public String essence() {
        return type + "/" + subtype;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(essence());
        parameters.forEach(p -> out.append("; ").append(p));
        return out.toString();
    }
}
