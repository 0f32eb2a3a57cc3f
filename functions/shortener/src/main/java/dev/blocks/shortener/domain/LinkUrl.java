package dev.blocks.shortener.domain;

import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The ASCII form of a link's http(s) URL, which is what is stored and sent as {@code Location}: the host as
 * IDNA ASCII (punycode, lower case), the path, query and fragment percent-encoded (UTF-8; spaces and characters
 * a URI may not carry are encoded, valid {@code %XX} escapes are kept as they are, a stray {@code %} becomes
 * {@code %25}). {@link #host()} is the host as compared with the shortener's own: without a trailing dot, and
 * IPv6 literals in one canonical spelling.
 *
 * <p>Hosts are normalised the way a browser resolves them before they are judged, so that a spelling the browser
 * would send to the same name is the same name here: NFKC (fullwidth letters and digits become ASCII), the
 * ideographic full stops U+3002, U+FF0E and U+FF61 become dots, then {@link IDN#toASCII} with the STD3 rules
 * (letters, digits and hyphens only). A punycode label stays as it is: it is the name DNS is asked for.
 * {@link IDN} implements IDNA 2003 (Unicode 3.2): code points assigned later, such as most emoji, are refused.
 * Credentials and backslashes in the authority are refused outright: both are classic ways to make a reader and a
 * browser see different hosts.
 *
 * <p>The shared URL policy (scheme, length, private hosts) is applied to the ASCII form afterwards, by the caller.
 */
public record LinkUrl(String ascii, String host) {

    /** Why a URL has no ASCII form: the message is meant for a field-level problem. */
    public static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    private static final Pattern PORT = Pattern.compile("[0-9]*");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");
    /** ASCII that a URI may not carry in a path, query or fragment and is sent percent-encoded. */
    private static final String ENCODED_ASCII = " \"<>\\^`{|}[]";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public static LinkUrl parse(String raw) throws Invalid {
        if (raw == null || raw.isBlank()) {
            throw new Invalid("a URL is required");
        }
        int colon = raw.indexOf(':');
        if (colon <= 0 || !SCHEME.matcher(raw.substring(0, colon)).matches()) {
            throw new Invalid("not a valid URL: it has no scheme");
        }
        String scheme = raw.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Invalid("only http and https URLs are allowed");
        }
        if (!raw.startsWith("//", colon + 1)) {
            throw new Invalid("the URL has no host");
        }
        int start = colon + 3;
        int end = start;
        while (end < raw.length() && "/?#\\".indexOf(raw.charAt(end)) < 0) {
            end++;
        }
        if (end < raw.length() && raw.charAt(end) == '\\') {
            // Browsers read a backslash here as the end of the host; other parsers read on.
            throw new Invalid("a backslash may not follow the host");
        }
        // Normalised before it is split, so that a fullwidth '@' or ':' is seen for what it becomes.
        String authority = stops(Normalizer.normalize(raw.substring(start, end), Normalizer.Form.NFKC));
        if (authority.indexOf('@') >= 0) {
            throw new Invalid("credentials in the URL are not allowed");
        }
        String host;
        String compared;
        String port = "";
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new Invalid("the URL has no valid host");
            }
            host = authority.substring(0, close + 1).toLowerCase(Locale.ROOT);
            port = authority.substring(close + 1);
            if (!port.isEmpty() && !port.startsWith(":")) {
                throw new Invalid("the URL has no valid host");
            }
            compared = ipv6(host);
        } else {
            int portAt = authority.lastIndexOf(':');
            host = asciiName(portAt < 0 ? authority : authority.substring(0, portAt));
            port = portAt < 0 ? "" : authority.substring(portAt);
            compared = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        }
        if (!port.isEmpty() && !PORT.matcher(port.substring(1)).matches()) {
            throw new Invalid("invalid port");
        }
        StringBuilder out = new StringBuilder(raw.length() + 16).append(scheme).append("://").append(host).append(port);
        boolean inFragment = false;
        for (int i = end; i < raw.length(); ) {
            int c = raw.codePointAt(i);
            int next = i + Character.charCount(c);
            if (c < 0x20 || c == 0x7f) {
                throw new Invalid("contains control characters");
            }
            if (c <= 0xffff && Character.isSurrogate((char) c)) {
                throw new Invalid("not valid Unicode");
            }
            if (c == '#' && !inFragment) {
                inFragment = true;
                out.append('#');
            } else if (c == '#' || c >= 0x80 || ENCODED_ASCII.indexOf(c) >= 0) {
                encode(out, new String(Character.toChars(c)));
            } else if (c == '%' && !escapeAt(raw, i)) {
                out.append("%25");
            } else {
                out.append((char) c);
            }
            i = next;
        }
        return new LinkUrl(out.toString(), compared);
    }

    /**
     * A host name (or {@code [IPv6]} literal) as {@link #host()} would be for a URL on it: how the shortener's own
     * host names are put into the form that link hosts are compared in.
     */
    public static String hostKey(String host) throws Invalid {
        String normal = stops(Normalizer.normalize(host, Normalizer.Form.NFKC));
        String key = normal.startsWith("[") ? ipv6(normal.toLowerCase(Locale.ROOT)) : asciiName(normal);
        return key.endsWith(".") ? key.substring(0, key.length() - 1) : key;
    }

    /** The ASCII name, in lower case; IPv4 literals pass through unchanged (digits and dots). */
    private static String asciiName(String name) throws Invalid {
        String ascii;
        try {
            ascii = IDN.toASCII(name.toLowerCase(Locale.ROOT), IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new Invalid("the host is not a valid name");
        }
        if (ascii.isEmpty() || ascii.equals(".")) {
            throw new Invalid("the URL has no valid host");
        }
        return ascii.toLowerCase(Locale.ROOT);
    }

    /** A bracketed IPv6 literal in its canonical text ({@code [2001:db8:0:0:0:0:0:1]}), so spellings compare equal. */
    private static String ipv6(String bracketed) throws Invalid {
        if (!bracketed.endsWith("]")) {
            throw new Invalid("the URL has no valid host");
        }
        String literal = bracketed.substring(1, bracketed.length() - 1);
        // Checked first so that getByName only ever parses a literal: no zone ids, never a name lookup.
        if (literal.indexOf(':') < 0 || !IPV6.matcher(literal).matches()) {
            throw new Invalid("the host is not a valid IPv6 address");
        }
        try {
            InetAddress address = InetAddress.getByName(literal);
            if (!(address instanceof Inet6Address)) {
                // An IPv4-mapped literal: Java answers with the IPv4 address, which is still a bracketed IPv6 host.
                return bracketed;
            }
            return "[" + address.getHostAddress() + "]";
        } catch (UnknownHostException e) {
            throw new Invalid("the host is not a valid IPv6 address");
        }
    }

    /** The ideographic full stops browsers accept as label separators, as dots. */
    private static String stops(String text) {
        return text.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.');
    }

    private static boolean escapeAt(String text, int percent) {
        return percent + 2 < text.length() && hex(text.charAt(percent + 1)) && hex(text.charAt(percent + 2));
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static void encode(StringBuilder out, String character) {
        for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
    }
}
