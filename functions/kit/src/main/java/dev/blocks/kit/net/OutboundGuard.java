package dev.blocks.kit.net;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SSRF guard of outbound URLs (webhook endpoints, scheduler HTTP targets), when they are registered and again
 * at every call: http(s) only, no credentials, a
 * real host name or public IP literal ({@link OutboundUrl}), and every address the host resolves to public
 * ({@link PinnedAddress}: loopback, private, link-local and metadata, CGNAT, IPv6 forms and IPv4-mapped addresses
 * are refused). {@code allowedPrivateHosts} names hosts that may be private anyway — for a local test receiver
 * only; empty (the default) in every deployment, {@code *} allows any host.
 */
public final class OutboundGuard {

    private final Set<String> allowedPrivateHosts;
    private final PinnedAddress.HostResolver dns;

    public OutboundGuard(Set<String> allowedPrivateHosts, PinnedAddress.HostResolver dns) {
        this.allowedPrivateHosts = allowedPrivateHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.dns = dns;
    }

    /** Why {@code url} may not be called, judged without DNS; empty when it may. */
    public Optional<String> urlRefusal(String url) {
        Optional<String> strict = OutboundUrl.refusal(url, false);
        if (strict.isEmpty()) {
            return strict;
        }
        try {
            OutboundUrl lenient = OutboundUrl.parse(url, true);
            return allowsPrivate(lenient.host()) ? Optional.empty() : strict;
        } catch (OutboundUrl.Refused e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Why a destination with {@code url} may not be registered: the URL rules, then its host's addresses. */
    public Optional<String> registrationRefusal(String url) {
        Optional<String> refusal = urlRefusal(url);
        if (refusal.isPresent()) {
            return refusal;
        }
        try {
            pin(OutboundUrl.parse(url, true).host());
            return Optional.empty();
        } catch (OutboundUrl.Refused e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Resolves {@code host} once, every address checked; connections go to the address returned. */
    public PinnedAddress pin(String host) throws OutboundUrl.Refused {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return PinnedAddress.resolve(h, allowsPrivate(h), dns);
    }

    private boolean allowsPrivate(String host) {
        return allowedPrivateHosts.contains("*") || allowedPrivateHosts.contains(host.toLowerCase(Locale.ROOT));
    }
}
