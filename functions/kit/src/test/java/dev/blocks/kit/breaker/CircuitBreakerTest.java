package dev.blocks.kit.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final AtomicLong clock = new AtomicLong();
    private final List<String> changes = new ArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofNanos(1_000), clock::get,
            (from, to, reason) -> changes.add(from + "->" + to));

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        breaker.onFailure(new IOException("reset"));
        breaker.onFailure(new IOException("reset"));
        breaker.onSuccess();
        breaker.onFailure(new IOException("reset"));
        breaker.onFailure(new IOException("reset"));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        breaker.onFailure(new IOException("refused"));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(changes).containsExactly("CLOSED->OPEN");
    }

    @Test
    void letsOneProbeThroughAfterTheOpenPeriod() {
        open();
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.untilProbe()).isEqualTo(Duration.ofNanos(1_000));
        clock.addAndGet(999);
        assertThat(breaker.tryAcquire()).isFalse();
        clock.addAndGet(1);
        assertThat(breaker.tryAcquire()).as("the probe").isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).as("a second caller while the probe is out").isFalse();

        breaker.onFailure(new IOException("still down"));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        clock.addAndGet(1_000);
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(changes).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "OPEN->HALF_OPEN",
                "HALF_OPEN->CLOSED");
    }

    @Test
    void aFailedProbeOpensItAgainForTheWholeTime() {
        open();
        clock.addAndGet(1_000);
        assertThat(breaker.tryAcquire()).isTrue();
        clock.addAndGet(400);
        breaker.onFailure();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.untilProbe()).isEqualTo(Duration.ofNanos(1_000));
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void aProbeThatNeverReportsDoesNotKeepItHalfOpenForever() {
        open();
        clock.addAndGet(1_000);
        assertThat(breaker.tryAcquire()).isTrue();
        clock.addAndGet(1_000);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure(new IOException("refused"));
        }
    }
}
