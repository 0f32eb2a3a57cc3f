package dev.blocks.webhooks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.blocks.kit.secrets.AesGcmCipher;
import dev.blocks.webhooks.domain.SecretSet;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The secret set sealed with the kit's cipher (whose own tests are in the kit). */
class SecretCipherTest {

    private static String key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void aSecretSetRoundTripsInOrderAndIsBoundToItsItem() {
        SecretCipher cipher = SecretCipher.sealedWith(new AesGcmCipher(key()));
        SecretSet secrets = SecretSet.of("whsec_new_secret_value", "whsec_old_secret_value");

        String stored = cipher.encrypt(secrets, "endpoint/alice/ep_1");

        assertThat(stored).startsWith("aes:").doesNotContain("secret_value");
        assertThat(cipher.decrypt(stored, "endpoint/alice/ep_1")).isEqualTo(secrets);
        assertThatThrownBy(() -> cipher.decrypt(stored, "endpoint/mallory/ep_1")).isInstanceOf(IllegalStateException.class);
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
