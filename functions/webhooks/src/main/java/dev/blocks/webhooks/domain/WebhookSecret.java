package dev.blocks.webhooks.domain;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Standard Webhooks secrets: {@code whsec_} + base64 of 24 to 64 random bytes (the HMAC key). Generated secrets
 * carry 32 bytes.
 */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecret() {}

    public static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The key of a Standard Webhooks secret (the prefix is optional, as in the reference libraries). */
    public static byte[] standardKey(String secret) {
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }

    /** Why {@code secret} is not a usable Standard Webhooks secret; null when it is. */
    public static String standardRefusal(String secret) {
        byte[] key;
        try {
            key = standardKey(secret);
        } catch (IllegalArgumentException e) {
            return "must be whsec_ followed by base64";
        }
        return key.length < 24 || key.length > 64 ? "the key must be 24 to 64 bytes" : null;
    }
}
