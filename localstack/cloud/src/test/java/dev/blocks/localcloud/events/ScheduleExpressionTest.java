package dev.blocks.localcloud.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleExpressionTest {

    @ParameterizedTest
    @CsvSource({
            "rate(1 minute), PT1M",
            "rate(5 minutes), PT5M",
            "rate(1 hour), PT1H",
            "rate(12 hours), PT12H",
            "rate(1 day), PT24H",
            "rate(1 second), PT1S",
            "rate(3 seconds), PT3S",
            "rate(1 seconds), PT1S"})
    void aRateTicksOnePeriodAfterThePreviousTick(String expression, String period) {
        Instant start = Instant.parse("2026-11-24T10:00:00.250Z");
        assertThat(ScheduleExpression.parse(expression).nextAfter(start)).isEqualTo(start.plus(Duration.parse(period)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cron(0 10 * * ? *)          | 2026-11-24T10:00:00Z | 2026-11-25T10:00:00Z",
            "cron(0/15 * * * ? *)        | 2026-11-24T10:07:30Z | 2026-11-24T10:15:00Z",
            "cron(0 18 ? * MON-FRI *)    | 2026-11-27T18:00:00Z | 2026-11-30T18:00:00Z",
            "cron(0 8 1 * ? *)           | 2026-11-24T00:00:00Z | 2026-12-01T08:00:00Z",
            "cron(0 10 ? * SUN *)        | 2026-11-24T00:00:00Z | 2026-11-29T10:00:00Z",
            "cron(0 10 ? * 1 *)          | 2026-11-24T00:00:00Z | 2026-11-29T10:00:00Z",
            "cron(0 9 ? * 2#1 *)         | 2026-11-24T00:00:00Z | 2026-12-07T09:00:00Z",
            "cron(0 12 L * ? *)          | 2026-11-24T00:00:00Z | 2026-11-30T12:00:00Z",
            "cron(0 9 ? * 6L *)          | 2026-11-28T00:00:00Z | 2026-12-25T09:00:00Z",
            "cron(0 9 15W * ? *)         | 2026-11-01T00:00:00Z | 2026-11-16T09:00:00Z",
            "cron(30 2 * FEB ? 2027)     | 2026-11-24T00:00:00Z | 2027-02-01T02:30:00Z"})
    void aCronTicksAtTheNextMatchingMinuteInUtc(String expression, String after, String next) {
        assertThat(ScheduleExpression.parse(expression).nextAfter(Instant.parse(after))).isEqualTo(Instant.parse(next));
    }

    @Test
    void aCronWhoseYearsArePastHasNoNextTick() {
        assertThat(ScheduleExpression.parse("cron(0 0 1 1 ? 2025)").nextAfter(Instant.parse("2026-11-24T00:00:00Z")))
                .isEqualTo(Instant.MAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(1 week)", "rate(minute)",
            "every minute", "", "cron(0 10 * * * *)", "cron(0 10 * * ?)", "cron(60 10 * * ? *)",
            "cron(0 24 * * ? *)", "cron(0 10 ? * 8 *)", "cron(0 10 * * ? * *)", "at(2026-12-07 10:00:00)",
            "at(2026-12-07T10:00:00Z)", "at(2026-12-07T10:00)", "at(2026-13-07T10:00:00)", "at(2026-12-07T10:00:00.5)"})
    void expressionsEventBridgeRejectsAreRejected(String expression) {
        assertThatThrownBy(() -> ScheduleExpression.parse(expression)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aOneTimeScheduleTicksOnceAtItsTimeInUtc() {
        ScheduleExpression once = ScheduleExpression.parse("at(2026-12-07T10:00:00)");

        assertThat(once.nextAfter(Instant.parse("2026-12-07T09:59:59Z"))).isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
        assertThat(once.nextAfter(Instant.parse("2026-12-07T10:00:00Z"))).isEqualTo(Instant.MAX);
        assertThat(once.nextAfter(Instant.parse("2026-12-08T00:00:00Z"))).isEqualTo(Instant.MAX);
    }
}
