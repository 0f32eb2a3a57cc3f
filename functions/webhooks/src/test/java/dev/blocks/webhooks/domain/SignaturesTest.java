package dev.blocks.webhooks.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import dev.blocks.kit.validation.FieldError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SignaturesTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final byte[] BODY = "{\"id\":\"evt_1\",\"amount\":42}".getBytes(StandardCharsets.UTF_8);
    private static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OTHER_STANDARD_SECRET = WebhookSecret.generate();

    static Stream<Arguments> schemes() {
        return Stream.of(
                Arguments.of(Scheme.STANDARD, null, STANDARD_SECRET, OTHER_STANDARD_SECRET),
                Arguments.of(Scheme.STRIPE, null, "whsec_stripe_test_secret", "whsec_stripe_next_secret"),
                Arguments.of(Scheme.GITHUB, null, "It's a Secret to Everybody", "another secret"),
                Arguments.of(Scheme.HMAC, HmacOptions.DEFAULT, "plain-hmac-secret", "next-hmac-secret"),
                Arguments.of(Scheme.HMAC, new HmacOptions("x-shopify-hmac-sha256", "sha256", "base64", "", "x-shopify-webhook-id"),
                        "shopify-like-secret", "shopify-like-next"),
                Arguments.of(Scheme.HMAC, new HmacOptions("x-signature", "sha512", "hex", "sha512=", null),
                        "sha512-secret", "sha512-next"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("schemes")
    void signerAndVerifierAgree(Scheme scheme, HmacOptions hmac, String secret, String other) {
        Signatures signatures = scheme.signatures(hmac);
        SecretSet secrets = SecretSet.of(secret);
        Map<String, String> headers = signatures.sign("evt_1", NOW, BODY, secrets.keys(signatures));

        assertThat(signatures.verify(headers, BODY, secrets.keys(signatures), NOW, TOLERANCE).valid()).isTrue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("schemes")
    void aTamperedBodyIsRejected(Scheme scheme, HmacOptions hmac, String secret, String other) {
        Signatures signatures = scheme.signatures(hmac);
        List<byte[]> keys = SecretSet.of(secret).keys(signatures);
        Map<String, String> headers = signatures.sign("evt_1", NOW, BODY, keys);
        byte[] tampered = "{\"id\":\"evt_1\",\"amount\":4200}".getBytes(StandardCharsets.UTF_8);

        assertThat(signatures.verify(headers, tampered, keys, NOW, TOLERANCE).rejection())
                .isEqualTo(Verification.Rejection.MISMATCH);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("schemes")
    void aWrongSecretIsRejected(Scheme scheme, HmacOptions hmac, String secret, String other) {
        Signatures signatures = scheme.signatures(hmac);
        Map<String, String> headers = signatures.sign("evt_1", NOW, BODY, SecretSet.of(secret).keys(signatures));

        assertThat(signatures.verify(headers, BODY, SecretSet.of(other).keys(signatures), NOW, TOLERANCE).rejection())
                .isEqualTo(Verification.Rejection.MISMATCH);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("schemes")
    void duringARotationEitherSecretVerifies(Scheme scheme, HmacOptions hmac, String oldSecret, String newSecret) {
        Signatures signatures = scheme.signatures(hmac);
        SecretSet rotating = SecretSet.of(oldSecret).rotatedTo(newSecret);
        Map<String, String> byOldSender = signatures.sign("evt_1", NOW, BODY, SecretSet.of(oldSecret).keys(signatures));
        Map<String, String> byNewSender = signatures.sign("evt_1", NOW, BODY, SecretSet.of(newSecret).keys(signatures));

        assertThat(rotating.newest()).isEqualTo(newSecret);
        assertThat(signatures.verify(byOldSender, BODY, rotating.keys(signatures), NOW, TOLERANCE).valid()).isTrue();
        assertThat(signatures.verify(byNewSender, BODY, rotating.keys(signatures), NOW, TOLERANCE).valid()).isTrue();
        // Once the old secret is dropped, what it signed no longer verifies.
        assertThat(signatures.verify(byOldSender, BODY, SecretSet.of(newSecret).keys(signatures), NOW, TOLERANCE).valid()).isFalse();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("schemes")
    void aMissingSignatureIsRejected(Scheme scheme, HmacOptions hmac, String secret, String other) {
        Signatures signatures = scheme.signatures(hmac);

        assertThat(signatures.verify(Map.of(), BODY, SecretSet.of(secret).keys(signatures), NOW, TOLERANCE).valid()).isFalse();
    }

    @Test
    void standardSignsWithEverySecretOfARotationSoReceiversOfEitherVerify() {
        Signatures signatures = Scheme.STANDARD.signatures(null);
        SecretSet both = SecretSet.of(STANDARD_SECRET).rotatedTo(OTHER_STANDARD_SECRET);
        Map<String, String> headers = signatures.sign("msg_1", NOW, BODY, both.keys(signatures));

        assertThat(headers.get("webhook-signature").split(" ")).hasSize(2);
        assertThat(signatures.verify(headers, BODY, SecretSet.of(STANDARD_SECRET).keys(signatures), NOW, TOLERANCE).valid()).isTrue();
        assertThat(signatures.verify(headers, BODY, SecretSet.of(OTHER_STANDARD_SECRET).keys(signatures), NOW, TOLERANCE).valid()).isTrue();
    }

    @Test
    void staleAndFutureTimestampsAreRejected() {
        for (Scheme scheme : List.of(Scheme.STANDARD, Scheme.STRIPE)) {
            Signatures signatures = scheme.signatures(null);
            String secret = scheme == Scheme.STANDARD ? STANDARD_SECRET : "whsec_stripe_test_secret";
            List<byte[]> keys = SecretSet.of(secret).keys(signatures);
            Map<String, String> old = signatures.sign("evt_1", NOW.minus(TOLERANCE).minusSeconds(1), BODY, keys);
            Map<String, String> future = signatures.sign("evt_1", NOW.plus(TOLERANCE).plusSeconds(1), BODY, keys);
            Map<String, String> edge = signatures.sign("evt_1", NOW.minus(TOLERANCE), BODY, keys);

            assertThat(signatures.verify(old, BODY, keys, NOW, TOLERANCE).rejection()).as(scheme.wire())
                    .isEqualTo(Verification.Rejection.STALE_TIMESTAMP);
            assertThat(signatures.verify(future, BODY, keys, NOW, TOLERANCE).rejection()).as(scheme.wire())
                    .isEqualTo(Verification.Rejection.STALE_TIMESTAMP);
            assertThat(signatures.verify(edge, BODY, keys, NOW, TOLERANCE).valid()).as(scheme.wire()).isTrue();
        }
    }

    @Test
    void aTamperedTimestampIsRejected() {
        Signatures signatures = Scheme.STANDARD.signatures(null);
        List<byte[]> keys = SecretSet.of(STANDARD_SECRET).keys(signatures);
        Map<String, String> headers = new HashMap<>(signatures.sign("msg_1", NOW, BODY, keys));
        headers.put("webhook-timestamp", Long.toString(NOW.getEpochSecond() + 1));

        assertThat(signatures.verify(headers, BODY, keys, NOW, TOLERANCE).rejection()).isEqualTo(Verification.Rejection.MISMATCH);
    }

    /**
     * GitHub's worked example, "Testing the webhook payload validation" in "Validating webhook deliveries"
     * (docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries; github/docs,
     * content/webhooks/using-webhooks/validating-webhook-deliveries.md).
     */
    @Test
    void githubsPublishedExampleVerifies() {
        Signatures signatures = Scheme.GITHUB.signatures(null);
        List<byte[]> keys = SecretSet.of("It's a Secret to Everybody").keys(signatures);
        byte[] payload = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        String published = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        assertThat(signatures.sign(null, NOW, payload, keys)).containsEntry("x-hub-signature-256", published);
        assertThat(signatures.verify(Map.of("x-hub-signature-256", published), payload, keys, NOW, TOLERANCE).valid()).isTrue();
    }

    /**
     * The Standard Webhooks test vector, as published in the reference libraries' tests
     * (github.com/standard-webhooks/standard-webhooks, libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java,
     * {@code verifyWebhookSignWorks}; the same vector is in the other languages' tests).
     */
    @Test
    void theStandardWebhooksTestVectorVerifies() {
        Signatures signatures = Scheme.STANDARD.signatures(null);
        List<byte[]> keys = SecretSet.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").keys(signatures);
        Instant timestamp = Instant.ofEpochSecond(1614265330);
        byte[] payload = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        String published = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        Map<String, String> headers = Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "webhook-timestamp", "1614265330", "webhook-signature", published);

        assertThat(signatures.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp, payload, keys))
                .containsEntry("webhook-signature", published);
        assertThat(signatures.verify(headers, payload, keys, timestamp.plusSeconds(10), TOLERANCE).valid()).isTrue();
        // The same request, verified today, is a replay.
        assertThat(signatures.verify(headers, payload, keys, NOW, TOLERANCE).rejection())
                .isEqualTo(Verification.Rejection.STALE_TIMESTAMP);
    }

    @Test
    void oneValidSignatureAmongSeveralVerifies() {
        Signatures signatures = Scheme.STANDARD.signatures(null);
        List<byte[]> keys = SecretSet.of(STANDARD_SECRET).keys(signatures);
        Map<String, String> headers = new HashMap<>(signatures.sign("msg_1", NOW, BODY, keys));
        headers.put("webhook-signature", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,abc not-base64 "
                + headers.get("webhook-signature"));

        assertThat(signatures.verify(headers, BODY, keys, NOW, TOLERANCE).valid()).isTrue();
    }

    @Test
    void malformedHeadersAreRejectedNotThrown() {
        Signatures standard = Scheme.STANDARD.signatures(null);
        List<byte[]> keys = SecretSet.of(STANDARD_SECRET).keys(standard);
        String ts = Long.toString(NOW.getEpochSecond());
        assertThat(standard.verify(Map.of("webhook-id", "m", "webhook-timestamp", ts, "webhook-signature", "v1,%%%"), BODY, keys, NOW, TOLERANCE).rejection())
                .isEqualTo(Verification.Rejection.MALFORMED_SIGNATURE);
        assertThat(standard.verify(Map.of("webhook-id", "m", "webhook-timestamp", "soon", "webhook-signature", "v1,AAAA"), BODY, keys, NOW, TOLERANCE).rejection())
                .isEqualTo(Verification.Rejection.MISSING_TIMESTAMP);
        assertThat(standard.verify(Map.of("webhook-timestamp", ts, "webhook-signature", "v1,AAAA"), BODY, keys, NOW, TOLERANCE).rejection())
                .isEqualTo(Verification.Rejection.MISSING_ID);

        Signatures stripe = Scheme.STRIPE.signatures(null);
        List<byte[]> stripeKeys = SecretSet.of("whsec_x_y_z").keys(stripe);
        assertThat(stripe.verify(Map.of("stripe-signature", "t=" + ts + ",v1=zz"), BODY, stripeKeys, NOW, TOLERANCE).rejection())
                .isEqualTo(Verification.Rejection.MALFORMED_SIGNATURE);
        assertThat(stripe.verify(Map.of("stripe-signature", "v1=abcd"), BODY, stripeKeys, NOW, TOLERANCE).rejection())
                .isEqualTo(Verification.Rejection.MISSING_TIMESTAMP);

        Signatures github = Scheme.GITHUB.signatures(null);
        assertThat(github.verify(Map.of("x-hub-signature-256", "sha1=abcd"), BODY, List.of(new byte[] {1}), NOW, TOLERANCE).rejection())
                .isEqualTo(Verification.Rejection.MALFORMED_SIGNATURE);
    }

    /** Only a signed id is ever reported as the event id; unsigned delivery ids are told apart (for tracing). */
    @Test
    void onlySignedIdsAreEventIds() {
        Signatures standard = Scheme.STANDARD.signatures(null);
        List<byte[]> keys = SecretSet.of(STANDARD_SECRET).keys(standard);
        assertThat(standard.verify(standard.sign("msg_42", NOW, BODY, keys), BODY, keys, NOW, TOLERANCE).id()).contains("msg_42");

        Signatures github = Scheme.GITHUB.signatures(null);
        List<byte[]> githubKeys = SecretSet.of("s3cret-s3cret").keys(github);
        Map<String, String> githubHeaders = github.sign("72d3162e-cc78-11e3-81ab-4c9367dc0958", NOW, BODY, githubKeys);
        assertThat(github.verify(githubHeaders, BODY, githubKeys, NOW, TOLERANCE).id()).isEmpty();
        assertThat(github.deliveryId(githubHeaders)).contains("72d3162e-cc78-11e3-81ab-4c9367dc0958");

        HmacOptions options = new HmacOptions("x-signature", "sha256", "hex", "", "x-delivery");
        Signatures hmac = Scheme.HMAC.signatures(options);
        List<byte[]> hmacKeys = SecretSet.of("hmac-secret").keys(hmac);
        Map<String, String> hmacHeaders = hmac.sign("d-1", NOW, BODY, hmacKeys);
        assertThat(hmac.verify(hmacHeaders, BODY, hmacKeys, NOW, TOLERANCE).id()).isEmpty();
        assertThat(hmac.deliveryId(hmacHeaders)).contains("d-1");

        Signatures stripe = Scheme.STRIPE.signatures(null);
        List<byte[]> stripeKeys = SecretSet.of("whsec_x_y_z").keys(stripe);
        assertThat(stripe.verify(stripe.sign(null, NOW, BODY, stripeKeys), BODY, stripeKeys, NOW, TOLERANCE).id()).isEmpty();
        assertThat(standard.deliveryId(Map.of("webhook-id", "msg_42"))).isEmpty();
    }

    /** Our signatures verify with the reference implementation, and its signatures with ours. */
    @Test
    void agreesWithTheReferenceLibrary() throws Exception {
        Signatures signatures = Scheme.STANDARD.signatures(null);
        String secret = WebhookSecret.generate();
        Instant now = Instant.now();
        List<byte[]> keys = SecretSet.of(secret).keys(signatures);
        Map<String, String> ours = signatures.sign("msg_ref", now, BODY, keys);
        Map<String, List<String>> asLists = new LinkedHashMap<>();
        ours.forEach((k, v) -> asLists.put(k, List.of(v)));

        Webhook reference = new Webhook(secret);
        reference.verify(new String(BODY, StandardCharsets.UTF_8), asLists);

        String theirs = reference.sign("msg_ref", now.getEpochSecond(), new String(BODY, StandardCharsets.UTF_8));
        Map<String, String> headers = new HashMap<>(ours);
        headers.put("webhook-signature", theirs);
        assertThat(signatures.verify(headers, BODY, keys, now, TOLERANCE).valid()).isTrue();
    }

    @Test
    void secretsAreCheckedPerScheme() {
        List<FieldError> violations = new ArrayList<>();
        assertThat(SecretSet.validate(Scheme.STANDARD, List.of("whsec_short"), "secrets", violations)).isNull();
        assertThat(SecretSet.validate(Scheme.STANDARD, List.of(WebhookSecret.generate(), WebhookSecret.generate(),
                WebhookSecret.generate()), "secrets", violations)).isNull();
        assertThat(SecretSet.validate(Scheme.GITHUB, List.of(" padded secret "), "secrets", violations)).isNull();
        assertThat(violations).hasSize(3);
        assertThat(SecretSet.validate(Scheme.STANDARD, List.of(STANDARD_SECRET), "secrets", violations)).isNotNull();
        assertThat(SecretSet.of("a-secret-value").toString()).doesNotContain("a-secret-value");
    }
}
