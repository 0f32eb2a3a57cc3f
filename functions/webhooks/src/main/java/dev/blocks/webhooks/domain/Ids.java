package dev.blocks.webhooks.domain;

import dev.blocks.kit.crypto.Sha256Hash;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Identifiers. A message id is derived from its event and endpoint, so the same event fanned out twice (a client
 * retry that got past the idempotency key) names the same messages, and it stays the same across every retry of
 * the delivery: receivers dedupe on {@code webhook-id}.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private Ids() {}

    public static String event() {
        return "evt_" + random(15);
    }

    /**
     * A source's receive id: random, so the public receive URL names neither the owner nor the source's name, and
     * two owners' sources of the same name never share one.
     */
    public static String source() {
        return "src_" + random(15);
    }

    public static String endpoint() {
        return "ep_" + random(15);
    }

    public static String message(String eventId, String endpointId) {
        return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256Hash.of(eventId + "/" + endpointId))
                .substring(0, 24);
    }

    /**
     * Whether {@code id} could name an endpoint or a message: what this class makes is a prefix and URL-safe base64,
     * far under 128 characters. Anything else is not looked up at all: a path segment of thousands of characters
     * would otherwise reach DynamoDB as a key past its 2,048-byte limit and fail the request (found by FuzzIT).
     */
    public static boolean plausible(String id) {
        return id != null && PLAUSIBLE.matcher(id).matches();
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
