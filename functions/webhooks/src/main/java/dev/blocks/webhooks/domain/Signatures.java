package dev.blocks.webhooks.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One signature scheme: what a sender adds to a request, and the check a receiver makes on the raw body bytes.
 * Keys come from {@link SecretSet} through {@link #key}; with two secrets (a rotation) a request verifies when it
 * carries a valid signature for either, and a signer signs with both where the scheme has room for several.
 */
public sealed interface Signatures permits StandardSignatures, StripeSignatures, GithubSignatures, HmacSignatures {

    /** The HMAC key of one secret as this scheme derives it. */
    byte[] key(String secret);

    /** The headers to send with {@code body}, lower-case names. {@code id} is the event's id where the scheme has one. */
    Map<String, String> sign(String id, Instant timestamp, byte[] body, List<byte[]> keys);

    /**
     * Checks {@code headers} (lower-case names) against {@code body}. Every comparison of signature bytes is
     * constant-time; the timestamp, where the scheme has one, must lie within {@code tolerance} of {@code now}.
     */
    Verification verify(Map<String, String> headers, byte[] body, List<byte[]> keys, Instant now, Duration tolerance);

    /**
     * The sender's own delivery id from a header the signature does NOT cover (GitHub's {@code X-GitHub-Delivery}),
     * passed on to consumers for tracing only: never a dedupe key, since a replayer may change it.
     */
    default Optional<String> deliveryId(Map<String, String> headers) {
        return Optional.empty();
    }
}
