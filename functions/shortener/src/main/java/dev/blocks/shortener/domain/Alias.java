package dev.blocks.shortener.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Rules for custom aliases: what a person may choose as the code of a link. */
public final class Alias {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{3,64}");

    /**
     * Path segments the shortener (or the HTTP API in front of it) uses or may use itself; an alias equal to one,
     * in any case, would be shadowed by a route or shadow one.
     */
    static final Set<String> RESERVED = Set.of("v1", "v2", "v3", "api", "healthz", "health", "status", "metrics",
            "admin", "login", "logout", "signup", "static", "assets", "docs", "help", "about", "www", "links",
            "stats", "robots", "favicon", "well-known", "_next");

    private Alias() {}

    /** Why {@code alias} cannot be used, or empty when it can. */
    public static Optional<String> problem(String alias) {
        if (!SHAPE.matcher(alias).matches()) {
            return Optional.of("must be 3 to 64 letters, digits, '_' or '-'");
        }
        if (RESERVED.contains(alias.toLowerCase(Locale.ROOT))) {
            return Optional.of("'" + alias + "' is reserved");
        }
        return Optional.empty();
    }

    /** Whether {@code code} could name a link at all; anything else is a 404 without a lookup. */
    public static boolean plausibleCode(String code) {
        return SHAPE.matcher(code).matches() && !RESERVED.contains(code.toLowerCase(Locale.ROOT));
    }
}
