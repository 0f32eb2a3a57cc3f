package dev.blocks.webhooks.domain;

import dev.blocks.kit.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitHub's scheme: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>} keyed with the secret's
 * UTF-8 bytes. It has no timestamp and does not sign {@code X-GitHub-Delivery}, so replays are caught by the dedupe
 * on the body's digest ({@link EventKey#BODY_DIGEST}), never on the delivery id; and it has room for one signature,
 * so a signer uses the first (newest) secret.
 */
public final class GithubSignatures implements Signatures {

    public static final String SIGNATURE = "x-hub-signature-256";
    public static final String DELIVERY = "x-github-delivery";
    private static final String PREFIX = "sha256=";

    @Override
    public byte[] key(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, String> sign(String id, Instant timestamp, byte[] body, List<byte[]> keys) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SIGNATURE, PREFIX + HexFormat.of().formatHex(Hmac.SHA256.digest(keys.get(0), body)));
        if (id != null) {
            headers.put(DELIVERY, id);
        }
        return headers;
    }

    @Override
    public Verification verify(Map<String, String> headers, byte[] body, List<byte[]> keys, Instant now, Duration tolerance) {
        String header = headers.get(SIGNATURE);
        if (header == null || header.isBlank()) {
            return Verification.rejected(Verification.Rejection.MISSING_SIGNATURE);
        }
        byte[] candidate;
        try {
            candidate = header.startsWith(PREFIX) ? HexFormat.of().parseHex(header.substring(PREFIX.length()).trim()) : null;
        } catch (IllegalArgumentException e) {
            candidate = null;
        }
        if (candidate == null) {
            return Verification.rejected(Verification.Rejection.MALFORMED_SIGNATURE);
        }
        for (byte[] key : keys) {
            if (MessageDigest.isEqual(Hmac.SHA256.digest(key, body), candidate)) {
                return Verification.accepted(null);
            }
        }
        return Verification.rejected(Verification.Rejection.MISMATCH);
    }

    @Override
    public Optional<String> deliveryId(Map<String, String> headers) {
        return Optional.ofNullable(headers.get(DELIVERY)).filter(s -> !s.isBlank());
    }
}
