package dev.blocks.shortener.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.WithDefault;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The code key and the visitor-hash secret have no built-in value, and a role without its secret does not start. */
class SecretsTest {

    @Test
    void neitherSecretHasADefaultInTheConfiguration() throws Exception {
        assertThat(ShortenerConfig.Codes.class.getMethod("key").getAnnotation(WithDefault.class)).isNull();
        assertThat(ShortenerConfig.Clicks.class.getMethod("visitorSecret").getAnnotation(WithDefault.class)).isNull();
    }

    @Test
    void aMissingOrShortVisitorSecretIsRefusedNamingTheSettingAndNotTheValue() {
        assertThatThrownBy(() -> Wiring.visitorSecret(Optional.empty())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BLOCKS_SHORTENER_CLICKS_VISITOR_SECRET").hasMessageContaining("not set")
                .hasMessageContaining("visitor_secret");
        assertThatThrownBy(() -> Wiring.visitorSecret(Optional.of(" ".repeat(40)))).hasMessageContaining("not set");
        String shortSecret = "s3cr3t-".repeat(4) + "abc"; // 31 characters
        assertThatThrownBy(() -> Wiring.visitorSecret(Optional.of(shortSecret)))
                .hasMessageContaining("shorter than 32 characters").message().doesNotContain(shortSecret);
    }

    @Test
    void aSecretOfThirtyTwoCharactersIsUsedAsGiven() {
        String secret = "0123456789abcdef0123456789ABCDE ";
        assertThat(secret).hasSize(Wiring.MIN_SECRET_CHARS);
        assertThat(Wiring.visitorSecret(Optional.of(secret))).isEqualTo(secret);
    }

    @Test
    void aMissingOrZeroCodeKeyIsRefused() {
        assertThatThrownBy(() -> Wiring.codeKey(Optional.empty())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BLOCKS_SHORTENER_CODES_KEY").hasMessageContaining("not set").hasMessageContaining("code_key");
        assertThatThrownBy(() -> Wiring.codeKey(Optional.of(0L))).hasMessageContaining("is 0");
        assertThat(Wiring.codeKey(Optional.of(-5L))).isEqualTo(-5L);
        assertThat(Wiring.codeKey(Optional.of(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }
}
