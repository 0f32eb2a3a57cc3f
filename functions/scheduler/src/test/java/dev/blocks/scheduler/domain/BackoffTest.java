package dev.blocks.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void withoutJitterTheWaitsDouble() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(15), 0, () -> 0.5);
        assertThat(backoff.after(1)).hasSeconds(1);
        assertThat(backoff.after(2)).hasSeconds(2);
        assertThat(backoff.after(3)).hasSeconds(4);
        assertThat(backoff.after(4)).hasSeconds(8);
    }

    @Test
    void jitterOnlyLengthensAndStaysBelowTheNextStep() {
        Backoff lowest = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(15), 0.2, () -> 0.0);
        Backoff highest = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(15), 0.2, () -> 0.999);
        for (int attempt = 1; attempt < 9; attempt++) {
            assertThat(highest.after(attempt)).isGreaterThanOrEqualTo(lowest.after(attempt));
            assertThat(highest.after(attempt)).isLessThan(lowest.after(attempt + 1));
        }
        assertThat(highest.after(6)).hasSeconds(38); // 32 s + 19.98 %
    }

    @Test
    void theCapBoundsEveryWait() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2, () -> 0.999);
        assertThat(backoff.after(7)).hasSeconds(60);
        assertThat(backoff.after(40)).hasSeconds(60);
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0, () -> 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0, () -> 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
