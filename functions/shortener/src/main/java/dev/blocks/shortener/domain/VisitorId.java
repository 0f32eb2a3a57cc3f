package dev.blocks.shortener.domain;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a client IP into an opaque visitor id: HMAC-SHA256 under a secret, truncated to 64 bits. Without the
 * secret the id cannot be traced back by hashing all 2^32 IPv4 addresses; 64 bits keep accidental merges of two
 * visitors negligible for any link's audience.
 */
public final class VisitorId {

    private final SecretKeySpec key;

    public VisitorId(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a visitor hash secret is required");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String of(String ip) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal((ip == null ? "" : ip).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
