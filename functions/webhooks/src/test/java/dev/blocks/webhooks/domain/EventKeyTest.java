package dev.blocks.webhooks.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Per scheme: the dedupe key of a verified request is a value the signature covers. A replay with a changed
 * unsigned header keeps the key (and is a duplicate); a changed signed value does not verify at all.
 */
class EventKeyTest {

    private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final byte[] BODY = "{\"id\":\"evt_1\",\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8);

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Verifies and keys a request the way webhooks-in does; the body's id is read by a stand-in for the JSON parse. */
    private static String key(Scheme scheme, Signatures signatures, Map<String, String> headers, byte[] body,
                              List<byte[]> keys, Optional<String> idInBody) {
        Verification verification = signatures.verify(headers, body, keys, NOW, TOLERANCE);
        assertThat(verification.valid()).as(scheme.wire()).isTrue();
        return scheme.eventKey().of(verification, body, () -> idInBody);
    }

    @Test
    void githubIsKeyedOnTheBodyDigestSoAChangedDeliveryIdIsStillTheSameEvent() throws Exception {
        Signatures github = Scheme.GITHUB.signatures(null);
        List<byte[]> keys = SecretSet.of("It's a Secret to Everybody").keys(github);
        Map<String, String> captured = github.sign("72d3162e-cc78-11e3-81ab-4c9367dc0958", NOW, BODY, keys);
        Map<String, String> replayed = new HashMap<>(captured);
        replayed.put(GithubSignatures.DELIVERY, "00000000-0000-0000-0000-000000000000");

        String first = key(Scheme.GITHUB, github, captured, BODY, keys, Optional.of("evt_1"));
        String again = key(Scheme.GITHUB, github, replayed, BODY, keys, Optional.of("evt_1"));

        assertThat(first).isEqualTo(sha256(BODY)).isEqualTo(again);
        // The signature does not depend on the delivery id at all: nothing stops a replayer from changing it.
        assertThat(replayed.get(GithubSignatures.SIGNATURE)).isEqualTo(captured.get(GithubSignatures.SIGNATURE));
    }

    @Test
    void githubBodiesThatDifferAreDifferentEvents() {
        Signatures github = Scheme.GITHUB.signatures(null);
        List<byte[]> keys = SecretSet.of("s3cret").keys(github);
        byte[] other = "{\"id\":\"evt_1\",\"action\":\"closed\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(key(Scheme.GITHUB, github, github.sign("d", NOW, BODY, keys), BODY, keys, Optional.empty()))
                .isNotEqualTo(key(Scheme.GITHUB, github, github.sign("d", NOW, other, keys), other, keys, Optional.empty()));
    }

    @Test
    void hmacIsKeyedOnTheBodyDigestNotOnItsIdHeader() throws Exception {
        HmacOptions options = new HmacOptions("x-acme-signature", "sha512", "base64", "sha512=", "x-acme-delivery");
        Signatures hmac = Scheme.HMAC.signatures(options);
        List<byte[]> keys = SecretSet.of("acme-shared-secret").keys(hmac);
        Map<String, String> captured = hmac.sign("delivery-1", NOW, BODY, keys);
        Map<String, String> replayed = new HashMap<>(captured);
        replayed.put("x-acme-delivery", "delivery-2");

        assertThat(key(Scheme.HMAC, hmac, captured, BODY, keys, Optional.of("evt_1")))
                .isEqualTo(key(Scheme.HMAC, hmac, replayed, BODY, keys, Optional.of("evt_1")))
                .isEqualTo(sha256(BODY));
    }

    @Test
    void standardIsKeyedOnItsSignedIdAndAChangedIdDoesNotVerify() {
        Signatures standard = Scheme.STANDARD.signatures(null);
        List<byte[]> keys = SecretSet.of(WebhookSecret.generate()).keys(standard);
        Map<String, String> captured = standard.sign("msg_1", NOW, BODY, keys);
        Map<String, String> replayed = new HashMap<>(captured);
        replayed.put(StandardSignatures.ID, "msg_2");

        assertThat(key(Scheme.STANDARD, standard, captured, BODY, keys, Optional.of("evt_1"))).isEqualTo("msg_1");
        assertThat(standard.verify(replayed, BODY, keys, NOW, TOLERANCE).rejection()).isEqualTo(Verification.Rejection.MISMATCH);
    }

    @Test
    void stripeIsKeyedOnTheIdInsideItsSignedBodyAcrossFreshTimestamps() throws Exception {
        Signatures stripe = Scheme.STRIPE.signatures(null);
        List<byte[]> keys = SecretSet.of("whsec_stripe_test_secret").keys(stripe);
        Map<String, String> first = stripe.sign(null, NOW, BODY, keys);
        Map<String, String> retried = stripe.sign(null, NOW.plusSeconds(60), BODY, keys);

        assertThat(key(Scheme.STRIPE, stripe, first, BODY, keys, Optional.of("evt_1"))).isEqualTo("evt_1");
        assertThat(key(Scheme.STRIPE, stripe, retried, BODY, keys, Optional.of("evt_1"))).isEqualTo("evt_1");
        // A body without an id: its digest, still signed.
        assertThat(key(Scheme.STRIPE, stripe, first, BODY, keys, Optional.empty())).isEqualTo(sha256(BODY));
        // The id cannot be changed without changing the signed body.
        byte[] forged = "{\"id\":\"evt_2\",\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(stripe.verify(first, forged, keys, NOW, TOLERANCE).valid()).isFalse();
    }

    @Test
    void overlongIdsAreReplacedByTheirDigest() throws Exception {
        String longId = "x".repeat(EventKey.MAX_LENGTH + 1);
        Verification accepted = Verification.accepted(longId);

        assertThat(EventKey.SIGNED_ID.of(accepted, BODY, Optional::empty))
                .isEqualTo(sha256(longId.getBytes(StandardCharsets.UTF_8)));
        assertThat(EventKey.BODY_ID.of(Verification.accepted(null), BODY, () -> Optional.of("x".repeat(EventKey.MAX_LENGTH))))
                .hasSize(EventKey.MAX_LENGTH);
    }

    @Test
    void aRefusedRequestHasNoKey() {
        assertThatThrownBy(() -> EventKey.BODY_DIGEST.of(Verification.rejected(Verification.Rejection.MISMATCH), BODY, Optional::empty))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachSchemeUsesASignedKey() {
        assertThat(Scheme.STANDARD.eventKey()).isEqualTo(EventKey.SIGNED_ID);
        assertThat(Scheme.STRIPE.eventKey()).isEqualTo(EventKey.BODY_ID);
        assertThat(Scheme.GITHUB.eventKey()).isEqualTo(EventKey.BODY_DIGEST);
        assertThat(Scheme.HMAC.eventKey()).isEqualTo(EventKey.BODY_DIGEST);
    }

    @Test
    void receiveIdsAreRandomAndRecognised() {
        String a = Ids.source();
        String b = Ids.source();

        assertThat(a).isNotEqualTo(b);
        assertThat(SourceRules.validId(a)).isTrue();
        assertThat(SourceRules.validId("acme")).isFalse();
        assertThat(SourceRules.validId(a + "x")).isFalse();
        assertThat(SourceRules.validId("src_../../../../../../x")).isFalse();
    }
}
