package dev.blocks.scheduler.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.scheduler.domain.DueBuckets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Who enqueues a run: jobs-api for a new job's first run, and the worker for a recurring job's next run, enqueue it
 * themselves (claimed, with its delay) when it falls due before the dispatcher's next window could see it;
 * otherwise it waits in the due index for the dispatcher.
 */
class AdmissionTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00.250Z");
    private static final DueBuckets BUCKETS = new DueBuckets(Duration.ofSeconds(60), 16);
    // Production timings: lead 60 s + cadence 60 s + margin 10 s; lease grace 2 min; early 2 s.
    private final Admission admission = new Admission(BUCKETS, Duration.ofSeconds(130), Duration.ofMinutes(2), Duration.ofSeconds(2));

    @Test
    void aRunDueWithinTheHorizonIsClaimedUntilItsTimePlusTheGraceAndDelayedUntilEarlyBeforeIt() {
        Instant nextMinute = Instant.parse("2026-12-07T10:01:00Z");
        Admission.Plan plan = admission.plan("job-1", nextMinute, NOW);
        assertThat(plan.direct()).isTrue();
        assertThat(plan.lease()).isEqualTo(nextMinute.plus(Duration.ofMinutes(2)));
        // 59.75 s left, less early 2 s, whole seconds rounded down: visible 2–3 s before its time.
        assertThat(plan.delaySeconds()).isEqualTo(57);
        assertThat(plan.dueKey()).isEqualTo(BUCKETS.keyOf("job-1", nextMinute));
    }

    @Test
    void aRunAlreadyDueIsClaimedFromNowAndSentWithoutDelay() {
        Instant past = NOW.minusSeconds(90);
        Admission.Plan plan = admission.plan("job-1", past, NOW);
        assertThat(plan.direct()).isTrue();
        assertThat(plan.lease()).isEqualTo(NOW.plus(Duration.ofMinutes(2)));
        assertThat(plan.delaySeconds()).isZero();
        // Within `early` of its time: no delay either.
        assertThat(admission.plan("job-1", NOW.plusSeconds(2), NOW).delaySeconds()).isZero();
    }

    @Test
    void theHorizonIsExclusiveAndRunsBeyondItAreLeftToTheDispatcher() {
        Admission.Plan last = admission.plan("job-1", NOW.plusSeconds(130).minusMillis(1), NOW);
        assertThat(last.direct()).isTrue();
        assertThat(last.delaySeconds()).isEqualTo(127);
        Admission.Plan edge = admission.plan("job-1", NOW.plusSeconds(130), NOW);
        assertThat(edge.direct()).isFalse();
        assertThat(edge.lease()).isNull();
        Admission.Plan hourly = admission.plan("job-1", Instant.parse("2026-12-07T11:00:00Z"), NOW);
        assertThat(hourly.direct()).isFalse();
        assertThat(hourly.dueKey()).isEqualTo(BUCKETS.keyOf("job-1", Instant.parse("2026-12-07T11:00:00Z")));
    }
}
