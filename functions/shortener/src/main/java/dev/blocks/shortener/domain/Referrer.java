package dev.blocks.shortener.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Reduces a Referer header to the site it names, so that counters group by site rather than by page. */
public final class Referrer {

    public static final String DIRECT = "(direct)";
    public static final String UNKNOWN = "(unknown)";
    public static final String OTHER = "(other)";

    private Referrer() {}

    public static String site(String header) {
        if (header == null || header.isBlank()) {
            return DIRECT;
        }
        String host;
        try {
            host = new URI(header.trim()).getHost();
        } catch (URISyntaxException e) {
            return UNKNOWN;
        }
        if (host == null || host.isEmpty() || host.length() > 253) {
            return UNKNOWN;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.startsWith("www.") ? host.substring(4) : host;
    }
}
