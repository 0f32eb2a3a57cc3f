package dev.blocks.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long the worker waits for a Lambda target, from the function's own timeout and the worker's lease. */
class FunctionWaitTest {

    // Production: lease 60 s, early 2 s, 5 s for the closing writes → 53 s per attempt; 10 s grace.
    private final FunctionWait wait = new FunctionWait(Duration.ofSeconds(10), Duration.ofSeconds(53));

    @Test
    void theWaitIsTheFunctionsTimeoutPlusTheGraceNotTheHttpDeadline() {
        assertThat(wait.forTimeout(Duration.ofSeconds(3))).contains(Duration.ofSeconds(13));
        assertThat(wait.forTimeout(Duration.ofSeconds(30))).contains(Duration.ofSeconds(40));
    }

    @Test
    void aFunctionThatMayRunExactlyAsLongAsTheBudgetAllowsIsCalled() {
        assertThat(wait.forTimeout(Duration.ofSeconds(43))).contains(Duration.ofSeconds(53));
    }

    @Test
    void aFunctionThatMayRunLongerThanAnAttemptCanWaitIsNotCalled() {
        assertThat(wait.forTimeout(Duration.ofSeconds(44))).isEmpty();
        assertThat(wait.forTimeout(Duration.ofMinutes(15))).isEmpty();
    }

    @Test
    void theTestStacksTimingsLeaveRoomForItsSlowFunction() {
        // functions/scheduler/terraform: lease 45 s, early 10 s → 30 s; ext-sch-slow's timeout is 15 s.
        FunctionWait test = new FunctionWait(Duration.ofSeconds(10), Duration.ofSeconds(45 - 10 - 5));
        assertThat(test.forTimeout(Duration.ofSeconds(15))).contains(Duration.ofSeconds(25));
        assertThat(test.forTimeout(Duration.ofSeconds(21))).isEmpty();
    }

    @Test
    void aBudgetThatLeavesNothingIsAConfigurationError() {
        assertThatThrownBy(() -> new FunctionWait(Duration.ofSeconds(10), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FunctionWait(Duration.ofSeconds(10), Duration.ofSeconds(-3))).isInstanceOf(IllegalArgumentException.class);
    }
}
