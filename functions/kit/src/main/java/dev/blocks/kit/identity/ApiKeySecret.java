package dev.blocks.kit.identity;

import dev.blocks.kit.crypto.Sha256Hash;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret part of an API key: {@code bk_} + 256 random bits. Keys are stored only as their SHA-256: a fast
 * hash is enough because the secret has full entropy (nothing to brute-force from a dictionary), and it lets a
 * lookup be a single key read.
 */
public final class ApiKeySecret {

    static final String PREFIX = "bk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecret() {}

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code key} has the shape of a key at all (cheap refusal before any lookup). */
    public static boolean wellFormed(String key) {
        return key != null && key.length() >= 20 && key.length() <= 128
                && key.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    public static String hash(String key) {
        return Sha256Hash.hex(key);
    }
}
