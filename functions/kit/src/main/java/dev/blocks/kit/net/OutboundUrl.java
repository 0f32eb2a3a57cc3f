package dev.blocks.kit.net;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A URL this system may send people or requests to: http or https, at most 2048 characters, no credentials, a
 * real host name (a DNS name with a letter top-level label, or a canonical public IP literal). Names that only
 * exist inside a network ({@code localhost}, {@code *.local}, {@code *.internal}, single labels) and numeric
 * tricks ({@code 0x7f.1}, {@code 2130706433}) are refused without any DNS lookup; callers that connect must
 * still check the resolved addresses ({@link PinnedAddress}).
 */
public record OutboundUrl(URI uri, String host) {

    public static final int MAX_LENGTH = 2048;

    /** Thrown for a URL that is not acceptable; the message says why, for a field-level problem. */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Validates {@code raw}. {@code allowPrivate} lets loopback/private hosts through, for local testing only.
     */
    public static OutboundUrl parse(String raw, boolean allowPrivate) throws Refused {
        if (raw == null || raw.isBlank()) {
            throw new Refused("a URL is required");
        }
        if (raw.length() > MAX_LENGTH) {
            throw new Refused("longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw new Refused("contains spaces or control characters");
            }
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new Refused("not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("only http and https URLs are allowed");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            throw new Refused("credentials in the URL are not allowed");
        }
        String host = uri.getHost();
        if (host == null && uri.getRawAuthority() != null && !uri.getRawAuthority().startsWith("[")) {
            // java.net.URI leaves internationalised names unparsed: take the name from the authority.
            String authority = uri.getAuthority();
            int colon = authority.lastIndexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
        }
        if (host == null || host.isEmpty()) {
            throw new Refused("the URL has no valid host");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new Refused("invalid port");
        }
        InetAddress literal = AddressPolicy.literal(host);
        if (literal != null) {
            if (!allowPrivate && !AddressPolicy.isPublic(literal)) {
                throw new Refused("the host " + host + " is not a public address");
            }
            return new OutboundUrl(uri, host);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new Refused("the host is not a valid name");
        }
        String[] labels = ascii.split("\\.");
        String top = labels[labels.length - 1];
        boolean localName = ascii.equals("localhost") || ascii.endsWith(".localhost") || ascii.endsWith(".local")
                || ascii.endsWith(".internal") || ascii.endsWith(".localdomain") || ascii.endsWith(".home.arpa");
        if (!allowPrivate && (labels.length < 2 || localName)) {
            throw new Refused("the host " + host + " is not a public name");
        }
        if (!top.matches("[a-z][a-z0-9-]*[a-z0-9]|xn--[a-z0-9-]+|[a-z]") && !(allowPrivate && labels.length == 1)) {
            throw new Refused("the host " + host + " is not a real host name");
        }
        return new OutboundUrl(uri, ascii);
    }

    /** Convenience for callers that only need a yes/no with the reason. */
    public static Optional<String> refusal(String raw, boolean allowPrivate) {
        try {
            parse(raw, allowPrivate);
            return Optional.empty();
        } catch (Refused e) {
            return Optional.of(e.getMessage());
        }
    }
}
