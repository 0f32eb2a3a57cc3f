package dev.blocks.shortener.domain;

import dev.blocks.kit.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Turns a client IP into an opaque visitor id: HMAC-SHA256 under a secret, truncated to 64 bits. Without the
 * secret the id cannot be traced back by hashing all 2^32 IPv4 addresses; 64 bits keep accidental merges of two
 * visitors negligible for any link's audience.
 */
public final class VisitorId {

    private final byte[] key;

    public VisitorId(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a visitor hash secret is required");
        }
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    public String of(String ip) {
        return HexFormat.of().formatHex(Hmac.SHA256.digest(key, ip == null ? "" : ip), 0, 8);
    }
}
