package dev.blocks.uploads.domain;

import java.util.Locale;

/** S3 quotes ETags in headers and XML and not in events; comparisons use the bare, lower-case value. */
public final class ETags {

    private ETags() {}

    public static String unquoted(String eTag) {
        if (eTag == null) {
            return null;
        }
        String t = eTag.trim();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        return t.toLowerCase(Locale.ROOT);
    }
}
