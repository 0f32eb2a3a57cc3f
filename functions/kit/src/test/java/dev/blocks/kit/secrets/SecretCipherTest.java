package dev.blocks.kit.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
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
    void aesGcmRoundTripsAndHidesTheSecret() {
        AesGcmCipher cipher = new AesGcmCipher(key());
        String secret = "{\"Authorization\":\"Bearer tok_secret_value\"}";

        String stored = cipher.encrypt(secret, "job/alice/j_1");

        assertThat(stored).startsWith("aes:").doesNotContain("secret_value").doesNotContain("Bearer");
        assertThat(cipher.decrypt(stored, "job/alice/j_1")).isEqualTo(secret);
        assertThat(cipher.encrypt(secret, "job/alice/j_1")).as("a fresh nonce every time").isNotEqualTo(stored);
    }

    @Test
    void aCiphertextMovedToAnotherItemOrKeyDoesNotDecrypt() {
        AesGcmCipher cipher = new AesGcmCipher(key());
        String stored = cipher.encrypt("whsec_some_secret", "endpoint/alice/ep_1");

        assertThatThrownBy(() -> cipher.decrypt(stored, "endpoint/mallory/ep_1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new AesGcmCipher(key()).decrypt(stored, "endpoint/alice/ep_1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cipher.decrypt("kms:AAAA", "endpoint/alice/ep_1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new AesGcmCipher("c2hvcnQ=")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConfiguredCipherNeedsItsKey() {
        String key = key();
        SecretCipher local = SecretCipher.configured("aes-gcm", Optional.empty(), Optional.of(key), "x.secrets");
        assertThat(new AesGcmCipher(key).decrypt(local.encrypt("s", "c"), "c")).isEqualTo("s");

        assertThatThrownBy(() -> SecretCipher.configured("aes-gcm", Optional.of("alias/k"), Optional.empty(), "x.secrets"))
                .hasMessageContaining("x.secrets.local-key");
        assertThatThrownBy(() -> SecretCipher.configured("kms", Optional.empty(), Optional.of(key), "x.secrets"))
                .hasMessageContaining("x.secrets.kms-key-id");
        assertThatThrownBy(() -> SecretCipher.configured("rot13", Optional.empty(), Optional.empty(), "x.secrets"))
                .hasMessageContaining("kms or aes-gcm");
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

            assertThatThrownBy(() -> cipher.encrypt("whsec_x_secret", "source/s")).isInstanceOf(SdkClientException.class);
        }
    }
}
