package dev.blocks.webhooks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.blocks.webhooks.domain.SecretSet;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

class SecretCipherTest {

    private static String key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void aesGcmRoundTripsAndHidesTheSecrets() {
        AesGcmCipher cipher = new AesGcmCipher(key());
        SecretSet secrets = SecretSet.of("whsec_new_secret_value", "whsec_old_secret_value");

        String stored = cipher.encrypt(secrets, "endpoint/alice/ep_1");

        assertThat(stored).startsWith("aes:").doesNotContain("secret_value");
        assertThat(cipher.decrypt(stored, "endpoint/alice/ep_1")).isEqualTo(secrets);
        assertThat(cipher.encrypt(secrets, "endpoint/alice/ep_1")).as("a fresh nonce every time").isNotEqualTo(stored);
    }

    @Test
    void aCiphertextMovedToAnotherItemOrKeyDoesNotDecrypt() {
        AesGcmCipher cipher = new AesGcmCipher(key());
        String stored = cipher.encrypt(SecretSet.of("whsec_some_secret"), "endpoint/alice/ep_1");

        assertThatThrownBy(() -> cipher.decrypt(stored, "endpoint/mallory/ep_1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new AesGcmCipher(key()).decrypt(stored, "endpoint/alice/ep_1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new AesGcmCipher("c2hvcnQ=")).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * No KMS runs on this machine; this only shows that the KMS client (a different SDK release than the core, see
     * the pom) builds and sends a request: the failure is the closed port, not a linkage error.
     */
    @Test
    void theKmsClientLinksAgainstTheSdkCore() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (KmsClient kms = KmsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + closed))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            KmsCipher cipher = new KmsCipher(kms, "alias/test");

            assertThatThrownBy(() -> cipher.encrypt(SecretSet.of("whsec_x_secret"), "source/s"))
                    .isInstanceOf(SdkClientException.class);
        }
    }

    @Test
    void delaysAreWholeSecondsRoundedUpAndCappedAtFifteenMinutes() {
        java.time.Instant now = java.time.Instant.parse("2026-11-24T12:00:00Z");
        assertThat(DeliveryQueue.delaySeconds(now.minusSeconds(5), now)).isZero();
        assertThat(DeliveryQueue.delaySeconds(now.plusMillis(1), now)).isEqualTo(1);
        assertThat(DeliveryQueue.delaySeconds(now.plusMillis(5000), now)).isEqualTo(5);
        assertThat(DeliveryQueue.delaySeconds(now.plusSeconds(3600), now)).isEqualTo(900);
    }
}
