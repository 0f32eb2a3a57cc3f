package dev.blocks.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The misfire rule and how a recurring job collapses the runs it missed into one. */
class CatchUpTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final CatchUp catchUp = new CatchUp(Duration.ofHours(1));

    @Test
    void runsLateWithinTheWindowStillFireOlderOnesAreMissed() {
        assertThat(catchUp.missed(NOW.minus(Duration.ofMinutes(59)), NOW)).isFalse();
        assertThat(catchUp.missed(NOW.minus(Duration.ofHours(1)), NOW)).isFalse();
        assertThat(catchUp.missed(NOW.minus(Duration.ofMinutes(61)), NOW)).isTrue();
    }

    @Test
    void aMinutelyJobDownForTwoHoursFiresOnceForTheWindowThenContinuesFromNow() {
        CronSchedule everyMinute = CronSchedule.parse("* * * * *", ZoneOffset.UTC);
        // The oldest occurrence still inside the window fires (once, at once) ...
        assertThat(everyMinute.nextAfter(catchUp.oldestFiring(NOW).minusMillis(1))).contains(Instant.parse("2026-11-24T09:00:00Z"));
        // ... and the run after it is computed from now, not from its own time, so the rest collapse into it.
        assertThat(everyMinute.nextAfter(NOW.plusMillis(300))).contains(Instant.parse("2026-11-24T10:01:00Z"));
    }
}
