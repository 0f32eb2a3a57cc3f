package dev.blocks.webhooks.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final AtomicLong clock = new AtomicLong();
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(60), clock::get);

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void opensAfterTheThresholdOfFailuresInARow() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.untilProbe()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void afterTheOpenTimeExactlyOneProbeGoesOut() {
        trip();
        advance(Duration.ofSeconds(59));
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.untilProbe()).isEqualTo(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(1));

        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void aSuccessfulProbeCloses() {
        trip();
        advance(Duration.ofSeconds(60));
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.untilProbe()).isZero();
    }

    @Test
    void aFailedProbeOpensAgainForTheWholeTime() {
        trip();
        advance(Duration.ofSeconds(60));
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.untilProbe()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aProbeThatNeverReportsIsReplaced() {
        trip();
        advance(Duration.ofSeconds(60));
        assertThat(breaker.tryAcquire()).isTrue();
        advance(Duration.ofSeconds(60));

        assertThat(breaker.tryAcquire()).isTrue();
    }

    private void trip() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
    }
}
