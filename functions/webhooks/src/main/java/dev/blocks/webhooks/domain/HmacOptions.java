package dev.blocks.webhooks.domain;

import dev.blocks.kit.crypto.Hmac;
import dev.blocks.kit.validation.FieldError;
import java.util.List;
import java.util.Locale;

/**
 * How a generic {@code hmac} source signs: the header carrying the signature, the hash (SHA-256 or SHA-512), the
 * encoding (hex or base64), a literal prefix before the encoded MAC (e.g. {@code sha256=}), and optionally the
 * header carrying the sender's delivery id (unsigned: passed on for tracing, never used to dedupe).
 */
public record HmacOptions(String header, String algorithm, String encoding, String prefix, String idHeader) {

    public static final HmacOptions DEFAULT = new HmacOptions("x-signature", "sha256", "hex", "", null);

    /** The options with defaults filled in and names normalised; field problems are added to {@code problems}. */
    public static HmacOptions of(String header, String algorithm, String encoding, String prefix, String idHeader,
                                 List<FieldError> problems) {
        String h = header == null ? DEFAULT.header : header.toLowerCase(Locale.ROOT);
        String a = algorithm == null ? DEFAULT.algorithm : algorithm.toLowerCase(Locale.ROOT).replace("-", "");
        String e = encoding == null ? DEFAULT.encoding : encoding.toLowerCase(Locale.ROOT);
        String p = prefix == null ? "" : prefix;
        String id = idHeader == null ? null : idHeader.toLowerCase(Locale.ROOT);
        if (!h.matches("[a-z0-9-]{1,64}")) {
            problems.add(new FieldError("hmac.header", "a header name of letters, digits and dashes"));
        }
        if (!a.equals("sha256") && !a.equals("sha512")) {
            problems.add(new FieldError("hmac.algorithm", "must be sha256 or sha512"));
        }
        if (!e.equals("hex") && !e.equals("base64")) {
            problems.add(new FieldError("hmac.encoding", "must be hex or base64"));
        }
        if (p.length() > 32 || p.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            problems.add(new FieldError("hmac.prefix", "at most 32 printable characters"));
        }
        if (id != null && !id.matches("[a-z0-9-]{1,64}")) {
            problems.add(new FieldError("hmac.idHeader", "a header name of letters, digits and dashes"));
        }
        return new HmacOptions(h, a, e, p, id);
    }

    Hmac hmac() {
        return algorithm.equals("sha512") ? Hmac.SHA512 : Hmac.SHA256;
    }
}
