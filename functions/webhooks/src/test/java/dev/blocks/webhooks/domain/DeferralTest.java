package dev.blocks.webhooks.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.breaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A message to an endpoint whose breaker stays open, followed on a clock of the test's: every deferral counts
 * against the message's schedule, so the message gives up (FAILED, dead-letter queue) when its schedule is used
 * up, within the schedule's time plus a breaker period per attempt, instead of being deferred for ever.
 */
class DeferralTest {

    private static final Instant START = Instant.parse("2026-12-07T12:00:00Z");
    private static final Duration OPEN = Duration.ofSeconds(60);
    private static final DeliveryPolicy POLICY = new DeliveryPolicy(RetrySchedule.DEFAULT, Duration.ofHours(24));

    /** What happened to one message, attempt by attempt, until it gave up (or {@code maxSteps} ran out). */
    private record Run(List<String> steps, Instant gaveUpAt, String reason) {}

    /** The endpoint is dead: every call fails. The breaker (threshold 1) is open from the start. */
    private static Run follow(int maxSteps) {
        AtomicLong nanos = new AtomicLong();
        CircuitBreaker breaker = new CircuitBreaker(1, OPEN, nanos::get);
        breaker.onFailure();
        Random random = new Random(42);
        Instant now = START;
        int attempt = 1;
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < maxSteps; i++) {
            NextStep step;
            if (breaker.tryAcquire()) {
                steps.add("call");
                breaker.onFailure();
                step = POLICY.after(attempt, new AttemptResult(0, Duration.ofSeconds(15), "", "timed out", null), now,
                        random::nextDouble);
            } else {
                steps.add("deferred");
                step = POLICY.deferred(attempt, breaker.untilProbe(), now, random::nextDouble);
            }
            if (step instanceof NextStep.GaveUp gaveUp) {
                return new Run(steps, now, gaveUp.reason());
            }
            NextStep.Retry retry = (NextStep.Retry) step;
            assertThat(retry.attempt()).isEqualTo(attempt + 1);
            assertThat(retry.at()).isAfterOrEqualTo(now);
            nanos.addAndGet(Duration.between(now, retry.at()).toNanos());
            now = retry.at();
            attempt = retry.attempt();
        }
        return new Run(steps, null, null);
    }

    @Test
    void aMessageDeferredByAnOpenBreakerGivesUpWhenItsScheduleIsUsedUp() {
        Run run = follow(1000);

        assertThat(run.gaveUpAt()).as("gave up").isNotNull();
        assertThat(run.steps()).hasSize(RetrySchedule.DEFAULT.attempts());
        assertThat(run.steps()).contains("deferred");
        Duration total = RetrySchedule.DEFAULT.delays().stream().reduce(Duration.ZERO, Duration::plus);
        Duration elapsed = Duration.between(START, run.gaveUpAt());
        // On time: the schedule's ~28 h (+10 % jitter), plus at most one breaker period per attempt.
        assertThat(elapsed).isLessThanOrEqualTo(total.multipliedBy(11).dividedBy(10)
                .plus(OPEN.multipliedBy(RetrySchedule.DEFAULT.attempts())));
        assertThat(elapsed).isGreaterThanOrEqualTo(total.multipliedBy(9).dividedBy(10));
        assertThat(run.reason()).contains("no success after 8 attempts");
    }

    @Test
    void aDeferralWaitsForTheScheduleButNotBeforeTheProbe() {
        // The schedule says 5 s before attempt 2, the breaker opens again in 50 s: waiting 5 s would only defer again.
        NextStep early = POLICY.deferred(1, Duration.ofSeconds(50), START, () -> 0.5);
        assertThat(early).isEqualTo(new NextStep.Retry(2, START.plusSeconds(50)));
        // The schedule says 30 min before attempt 4: the breaker's probe in 50 s does not bring it forward.
        NextStep later = POLICY.deferred(3, Duration.ofSeconds(50), START, () -> 0.5);
        assertThat(later).isEqualTo(new NextStep.Retry(4, START.plus(Duration.ofMinutes(30))));
    }

    @Test
    void deferringTheLastAttemptGivesUpAndSaysWhy() {
        NextStep last = POLICY.deferred(8, Duration.ofSeconds(10), START, () -> 0.5);
        assertThat(last).isInstanceOf(NextStep.GaveUp.class);
        assertThat(((NextStep.GaveUp) last).reason()).contains("8 attempts").contains(DeliveryPolicy.NOT_SENT);
    }

    @Test
    void anEndpointFailingForFiveDaysIsDisabledOnTheClock() {
        Instant since = START;
        assertThat(DisableRule.DEFAULT.disables(since, since.plus(Duration.ofDays(5)).minusSeconds(1))).isFalse();
        assertThat(DisableRule.DEFAULT.disables(since, since.plus(Duration.ofDays(5)))).isTrue();
        assertThat(DisableRule.DEFAULT.disables(null, since.plus(Duration.ofDays(50)))).isFalse();
    }
}
