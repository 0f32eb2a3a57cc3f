package dev.blocks.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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

    @Test
    void aRunOnTimeOrLateWithinTheWindowIsNoMisfire() {
        CronSchedule everyMinute = CronSchedule.parse("* * * * *", ZoneOffset.UTC);
        assertThat(catchUp.misfire(everyMinute, NOW, NOW)).isEmpty();
        assertThat(catchUp.misfire(everyMinute, NOW.plusSeconds(30), NOW)).isEmpty();
        assertThat(catchUp.misfire(everyMinute, NOW.minus(Duration.ofMinutes(59)), NOW)).isEmpty();
        assertThat(catchUp.misfire(everyMinute, NOW.minus(Duration.ofHours(1)), NOW)).isEmpty();
        assertThat(catchUp.misfire(new OneTime(NOW.minus(Duration.ofHours(1))), NOW.minus(Duration.ofHours(1)), NOW)).isEmpty();
    }

    @Test
    void aOneTimeRunBeyondTheWindowIsMissedWithNothingAfterIt() {
        Instant at = NOW.minus(Duration.ofMinutes(61));
        assertThat(catchUp.misfire(new OneTime(at), at, NOW)).contains(new CatchUp.Misfire(null));
        Instant days = NOW.minus(Duration.ofDays(3));
        assertThat(catchUp.misfire(new OneTime(days), days, NOW)).contains(new CatchUp.Misfire(null));
    }

    @Test
    void aMinutelyRunFoundTwoHoursLateIsMissedAndTheJobFiresOnceForTheWindow() {
        CronSchedule everyMinute = CronSchedule.parse("* * * * *", ZoneOffset.UTC);
        // Its oldest occurrence inside the window (09:00 is exactly at the edge, so the next minute) fires at once.
        assertThat(catchUp.misfire(everyMinute, NOW.minus(Duration.ofHours(2)), NOW))
                .contains(new CatchUp.Misfire(Instant.parse("2026-11-24T09:01:00Z")));
        // Whatever the stale run's own time, the job goes on from the window, not from that time.
        assertThat(catchUp.misfire(everyMinute, NOW.minus(Duration.ofDays(2)), NOW))
                .contains(new CatchUp.Misfire(Instant.parse("2026-11-24T09:01:00Z")));
        assertThat(catchUp.misfire(everyMinute, NOW.minus(Duration.ofMinutes(61)), NOW))
                .contains(new CatchUp.Misfire(Instant.parse("2026-11-24T09:01:00Z")));
    }

    @Test
    void aDailyRunWithNoOccurrenceInTheWindowGoesOnWithItsNextOneInTheFuture() {
        CronSchedule daily = CronSchedule.parse("30 7 * * *", ZoneId.of("Europe/Berlin"));
        // 07:30 Berlin = 06:30Z; found at 10:00Z, 3.5 h late: missed, and the job waits for tomorrow's 06:30Z.
        assertThat(catchUp.misfire(daily, Instant.parse("2026-11-24T06:30:00Z"), NOW))
                .contains(new CatchUp.Misfire(Instant.parse("2026-11-25T06:30:00Z")));
    }

    @Test
    void aRateRunBeyondTheWindowGoesOnWithTheRatesOldestOccurrenceInTheWindow() {
        RateSchedule everyTwentyMinutes = RateSchedule.parse("rate(20 minutes)", Instant.parse("2026-11-24T00:05:00Z"));
        // Occurrences at :05, :25, :45; the window starts at 09:00Z, so 09:05Z fires for it.
        assertThat(catchUp.misfire(everyTwentyMinutes, Instant.parse("2026-11-24T08:45:00Z"), NOW))
                .contains(new CatchUp.Misfire(Instant.parse("2026-11-24T09:05:00Z")));
        assertThat(catchUp.misfire(everyTwentyMinutes, Instant.parse("2026-11-24T08:25:00Z"), NOW))
                .contains(new CatchUp.Misfire(Instant.parse("2026-11-24T09:05:00Z")));
    }
}
