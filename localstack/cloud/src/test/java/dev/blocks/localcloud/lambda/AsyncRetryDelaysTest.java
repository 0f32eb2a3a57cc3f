package dev.blocks.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncRetryDelaysTest {

    @Test
    void awsWaitsAMinuteThenTwoAfterFunctionErrors() {
        assertThat(AsyncRetryDelays.AWS.afterFunctionError(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(AsyncRetryDelays.AWS.afterFunctionError(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(AsyncRetryDelays.AWS.afterFunctionError(3)).as("the last delay repeats").isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void afterThrottlesTheWaitDoublesFromOneSecondUpToFiveMinutes() {
        assertThat(AsyncRetryDelays.AWS.afterThrottle(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(AsyncRetryDelays.AWS.afterThrottle(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(AsyncRetryDelays.AWS.afterThrottle(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(AsyncRetryDelays.AWS.afterThrottle(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(AsyncRetryDelays.AWS.afterThrottle(1000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesDelaysThatMakeNoSense() {
        assertThatThrownBy(() -> new AsyncRetryDelays(List.of(), Duration.ofSeconds(1), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AsyncRetryDelays(List.of(Duration.ofSeconds(-1)), Duration.ofSeconds(1),
                Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AsyncRetryDelays(List.of(Duration.ofSeconds(1)), Duration.ofMinutes(6),
                Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class);
    }
}
