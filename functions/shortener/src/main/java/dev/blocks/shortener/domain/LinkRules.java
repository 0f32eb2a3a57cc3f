package dev.blocks.shortener.domain;

import dev.blocks.kit.validation.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
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

    /**
     * {@code ownHosts}: host names the shortener answers on (its public domain, the API's host), in any spelling
     * (Unicode or ASCII); one that is not a host name at all is a configuration error.
     */
    public LinkRules(Collection<String> ownHosts) {
        this(keys(ownHosts));
    }

    private LinkRules(Set<String> ownHostKeys) {
        this.ownHosts = Set.copyOf(ownHostKeys);
    }

    /**
     * A copy that also refuses {@code host} (the Host header the request came in on, port and all). A header
     * that is no host name is ignored: no link can point at it, since link hosts must be names.
     */
    public LinkRules alsoRefusing(String host) {
        if (host == null || host.isBlank()) {
            return this;
        }
        try {
            Set<String> hosts = new HashSet<>(ownHosts);
            hosts.add(LinkUrl.hostKey(host.replaceFirst(":\\d+$", "")));
            return new LinkRules(hosts);
        } catch (LinkUrl.Invalid e) {
            return this;
        }
    }

    public List<FieldError> check(LinkDraft draft, Instant now) {
        List<FieldError> violations = new ArrayList<>();
        if (draft.url() != null && pointsAtUs(draft.url())) {
            violations.add(new FieldError("url", "must not point at the shortener itself"));
        }
        if (draft.alias() != null) {
            Alias.problem(draft.alias()).ifPresent(p -> violations.add(new FieldError("alias", p)));
        }
        if (draft.expiresAt() != null) {
            if (!draft.expiresAt().isAfter(now)) {
                violations.add(new FieldError("expiresAt", "must be in the future"));
            } else if (draft.expiresAt().isAfter(now.plus(MAX_LIFETIME))) {
                violations.add(new FieldError("expiresAt", "must be at most " + MAX_LIFETIME.toDays() + " days away"));
            }
        }
        if (draft.maxVisits() != null && (draft.maxVisits() < 1 || draft.maxVisits() > MAX_VISITS)) {
            violations.add(new FieldError("maxVisits", "must be between 1 and " + MAX_VISITS));
        }
        if (draft.tags().size() > MAX_TAGS) {
            violations.add(new FieldError("tags", "at most " + MAX_TAGS + " tags"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < draft.tags().size(); i++) {
            String tag = draft.tags().get(i);
            if (tag == null || !TAG.matcher(tag).matches()) {
                violations.add(new FieldError("tags[" + i + "]", "must be 1 to 32 letters, digits, '_', '.', ':' or '-'"));
            } else if (!seen.add(tag)) {
                violations.add(new FieldError("tags[" + i + "]", "duplicate tag '" + tag + "'"));
            }
        }
        return violations;
    }

    /**
     * Compared in the form a browser resolves (see {@link LinkUrl}): {@code https://ｓｈｏ.ｒｔ/x} and
     * {@code https://sho。rt/x} are {@code sho.rt}. Malformed URLs are not judged here: the URL checks refuse them.
     */
    private boolean pointsAtUs(String url) {
        String host;
        try {
            host = LinkUrl.parse(url).host();
        } catch (LinkUrl.Invalid e) {
            return false;
        }
        // Subdomains count too: a wildcard DNS entry in front of the shortener would loop just the same.
        return ownHosts.stream().anyMatch(own -> host.equals(own) || host.endsWith("." + own));
    }

    private static Set<String> keys(Collection<String> hosts) {
        Set<String> keys = new HashSet<>();
        for (String host : hosts) {
            if (host == null || host.isBlank()) {
                continue;
            }
            try {
                keys.add(LinkUrl.hostKey(host.strip()));
            } catch (LinkUrl.Invalid e) {
                throw new IllegalArgumentException("own host '" + host + "' is not a host name: " + e.getMessage(), e);
            }
        }
        return keys;
    }
}
