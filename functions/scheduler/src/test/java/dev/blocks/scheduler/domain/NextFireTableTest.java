package dev.blocks.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Next-fire tables across the 2026 daylight saving changes, expected values worked out by hand from the zones'
 * rules (offsets in the comments):
 * <ul>
 *   <li>America/New_York: EST -05:00, EDT -04:00; Sun 8 March 02:00 → 03:00, Sun 1 November 02:00 → 01:00.</li>
 *   <li>Europe/Berlin: CET +01:00, CEST +02:00; Sun 29 March 02:00 → 03:00, Sun 25 October 03:00 → 02:00.</li>
 *   <li>Australia/Lord_Howe, a 30-minute shift: +10:30 and +11:00; Sun 5 April 02:00 → 01:30, Sun 4 October
 *       02:00 → 02:30.</li>
 * </ul>
 * A local time inside a gap is skipped (the next matching day fires); a local time that happens twice fires once,
 * at its first occurrence (the summer offset).
 */
class NextFireTableTest {

    @ParameterizedTest(name = "{0} in {1} after {2} → {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # Unix, New York
            30 2 * * *      | America/New_York    | 2026-03-07T12:00:00Z | 2026-03-09T06:30:00Z
            0 * * * *       | America/New_York    | 2026-03-08T06:30:00Z | 2026-03-08T07:00:00Z
            0 3 * * *       | America/New_York    | 2026-03-08T06:00:00Z | 2026-03-08T07:00:00Z
            30 1 * * *      | America/New_York    | 2026-10-31T12:00:00Z | 2026-11-01T05:30:00Z
            30 1 * * *      | America/New_York    | 2026-11-01T05:30:00Z | 2026-11-02T06:30:00Z
            */30 * * * *    | America/New_York    | 2026-11-01T05:15:00Z | 2026-11-01T05:30:00Z
            */30 * * * *    | America/New_York    | 2026-11-01T05:30:00Z | 2026-11-01T07:00:00Z
            */30 * * * *    | America/New_York    | 2026-11-01T06:10:00Z | 2026-11-01T07:00:00Z
            # Unix, Berlin
            30 2 * * *      | Europe/Berlin       | 2026-03-28T12:00:00Z | 2026-03-30T00:30:00Z
            30 2 * * *      | Europe/Berlin       | 2026-10-24T12:00:00Z | 2026-10-25T00:30:00Z
            30 2 * * *      | Europe/Berlin       | 2026-10-25T00:30:00Z | 2026-10-26T01:30:00Z
            0 9 * * 1-5     | Europe/Berlin       | 2026-03-27T12:00:00Z | 2026-03-30T07:00:00Z
            # Unix, Lord Howe
            15 2 * * *      | Australia/Lord_Howe | 2026-10-03T00:00:00Z | 2026-10-04T15:15:00Z
            45 2 * * *      | Australia/Lord_Howe | 2026-10-03T00:00:00Z | 2026-10-03T15:45:00Z
            45 1 * * *      | Australia/Lord_Howe | 2026-04-04T00:00:00Z | 2026-04-04T14:45:00Z
            45 1 * * *      | Australia/Lord_Howe | 2026-04-04T14:45:00Z | 2026-04-05T15:15:00Z
            */15 * * * *    | Australia/Lord_Howe | 2026-04-04T14:50:00Z | 2026-04-04T15:30:00Z
            # EventBridge, New York
            30 2 ? * SUN *  | America/New_York    | 2026-03-01T12:00:00Z | 2026-03-15T06:30:00Z
            0 1 ? * 1#1 *   | America/New_York    | 2026-10-15T00:00:00Z | 2026-11-01T05:00:00Z
            cron(0 1 ? * 1#1 *) | America/New_York | 2026-11-01T05:00:00Z | 2026-12-06T06:00:00Z
            # EventBridge, Berlin
            0 9 ? * MON-FRI * | Europe/Berlin     | 2026-03-27T12:00:00Z | 2026-03-30T07:00:00Z
            15 2 ? * 1L *   | Europe/Berlin       | 2026-03-01T00:00:00Z | 2026-04-26T00:15:00Z
            15 2 ? * 1L *   | Europe/Berlin       | 2026-10-01T00:00:00Z | 2026-10-25T00:15:00Z
            15 2 ? * 1L *   | Europe/Berlin       | 2026-10-25T00:15:00Z | 2026-11-29T01:15:00Z
            0 10 15W * ? *  | Europe/Berlin       | 2026-03-01T00:00:00Z | 2026-03-16T09:00:00Z
            0 2 L * ? *     | Europe/Berlin       | 2026-10-01T00:00:00Z | 2026-10-31T01:00:00Z
            # EventBridge, Lord Howe
            15 2 ? * SUN *  | Australia/Lord_Howe | 2026-10-01T00:00:00Z | 2026-10-10T15:15:00Z
            45 1 ? * 1#1 *  | Australia/Lord_Howe | 2026-04-01T00:00:00Z | 2026-04-04T14:45:00Z
            45 1 ? * 1#1 *  | Australia/Lord_Howe | 2026-04-04T14:45:00Z | 2026-05-02T15:15:00Z
            """)
    void nextFire(String cron, String zone, String after, String expected) {
        CronSchedule schedule = CronSchedule.parse(cron, ZoneId.of(zone));
        assertThat(schedule.nextAfter(Instant.parse(after))).contains(Instant.parse(expected));
    }
}
