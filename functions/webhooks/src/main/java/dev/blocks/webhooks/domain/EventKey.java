package dev.blocks.webhooks.domain;

import dev.blocks.kit.crypto.Sha256Hash;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What an inbound event is deduplicated on. Always a value the signature covers: whoever replays a captured
 * request can change any unsigned header (GitHub's {@code X-GitHub-Delivery}, an HMAC source's id header) at will,
 * so such a header must never decide whether the event is new.
 */
public enum EventKey {
    /** The id the scheme signs (Standard Webhooks signs {@code webhook-id} with the timestamp and body). */
    SIGNED_ID,
    /** The {@code "id"} of the JSON body, signed with the body (Stripe); the body digest when there is none. */
    BODY_ID,
    /** {@code sha256:<hex>} of the raw body (GitHub, generic HMAC: the body is all they sign). */
    BODY_DIGEST;

    /** Ids longer than this are replaced by their digest (they become part of a DynamoDB key). */
    public static final int MAX_LENGTH = 256;

    /**
     * The key of a verified request. {@code idInBody} reads the body's {@code "id"} (JSON parsing stays out of the
     * domain); it is asked only for {@link #BODY_ID}.
     */
    public String of(Verification verification, byte[] body, Supplier<Optional<String>> idInBody) {
        if (!verification.valid()) {
            throw new IllegalArgumentException("only a verified request has an event key");
        }
        Optional<String> id = switch (this) {
            case SIGNED_ID -> verification.id();
            case BODY_ID -> idInBody.get().filter(s -> !s.isBlank());
            case BODY_DIGEST -> Optional.empty();
        };
        return id.map(s -> s.length() > MAX_LENGTH ? digest(s.getBytes(StandardCharsets.UTF_8)) : s)
                .orElseGet(() -> digest(body));
    }

    public static String digest(byte[] bytes) {
        return "sha256:" + Sha256Hash.hex(bytes);
    }
}
