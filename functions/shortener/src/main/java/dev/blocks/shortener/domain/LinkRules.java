package dev.blocks.shortener.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shortener's own rules for a new link, on top of the shared URL policy (scheme, length, credentials,
 * private hosts), which the caller applies: a link must not point back at the shortener, or a redirect could
 * loop forever.
 */
public final class LinkRules {

    public static final int MAX_TAGS = 10;
    public static final long MAX_VISITS = 1_000_000_000L;
    public static final Duration MAX_LIFETIME = Duration.ofDays(3650);
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.:-]{1,32}");

    private final Set<String> ownHosts;

    /** {@code ownHosts}: host names the shortener answers on (its public domain, the API's host). */
    public LinkRules(Collection<String> ownHosts) {
        Set<String> hosts = new HashSet<>();
        ownHosts.stream().filter(h -> h != null && !h.isBlank()).map(LinkRules::normalHost).forEach(hosts::add);
        this.ownHosts = Set.copyOf(hosts);
    }

    /** A copy that also refuses {@code host} (e.g. the Host header the request came in on). */
    public LinkRules alsoRefusing(String host) {
        if (host == null || host.isBlank()) {
            return this;
        }
        List<String> hosts = new ArrayList<>(ownHosts);
        hosts.add(host.replaceFirst(":\\d+$", ""));
        return new LinkRules(hosts);
    }

    public List<Violation> check(LinkDraft draft, Instant now) {
        List<Violation> violations = new ArrayList<>();
        if (draft.url() != null && pointsAtUs(draft.url())) {
            violations.add(new Violation("url", "must not point at the shortener itself"));
        }
        if (draft.alias() != null) {
            Alias.problem(draft.alias()).ifPresent(p -> violations.add(new Violation("alias", p)));
        }
        if (draft.expiresAt() != null) {
            if (!draft.expiresAt().isAfter(now)) {
                violations.add(new Violation("expiresAt", "must be in the future"));
            } else if (draft.expiresAt().isAfter(now.plus(MAX_LIFETIME))) {
                violations.add(new Violation("expiresAt", "must be at most " + MAX_LIFETIME.toDays() + " days away"));
            }
        }
        if (draft.maxVisits() != null && (draft.maxVisits() < 1 || draft.maxVisits() > MAX_VISITS)) {
            violations.add(new Violation("maxVisits", "must be between 1 and " + MAX_VISITS));
        }
        if (draft.tags().size() > MAX_TAGS) {
            violations.add(new Violation("tags", "at most " + MAX_TAGS + " tags"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < draft.tags().size(); i++) {
            String tag = draft.tags().get(i);
            if (tag == null || !TAG.matcher(tag).matches()) {
                violations.add(new Violation("tags[" + i + "]", "must be 1 to 32 letters, digits, '_', '.', ':' or '-'"));
            } else if (!seen.add(tag)) {
                violations.add(new Violation("tags[" + i + "]", "duplicate tag '" + tag + "'"));
            }
        }
        return violations;
    }

    private boolean pointsAtUs(String url) {
        String host;
        try {
            host = new URI(url).getHost();
        } catch (URISyntaxException e) {
            return false; // malformed URLs are the URL policy's to refuse
        }
        if (host == null) {
            return false;
        }
        String normal = normalHost(host);
        // Subdomains count too: a wildcard DNS entry in front of the shortener would loop just the same.
        return ownHosts.stream().anyMatch(own -> normal.equals(own) || normal.endsWith("." + own));
    }

    private static String normalHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
