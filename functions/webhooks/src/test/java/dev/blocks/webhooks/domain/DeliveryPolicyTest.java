package dev.blocks.webhooks.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final DeliveryPolicy POLICY = new DeliveryPolicy(RetrySchedule.DEFAULT, Duration.ofHours(24));

    private static AttemptResult status(int status) {
        return new AttemptResult(status, Duration.ofMillis(12), "", null, null);
    }

    @Test
    void theDefaultScheduleIsEightAttemptsOverAboutADay() {
        List<Duration> waits = new ArrayList<>();
        for (int attempt = 1; attempt <= 8; attempt++) {
            waits.add(RetrySchedule.DEFAULT.delayBefore(attempt, () -> 0.5).orElseThrow());
        }
        assertThat(waits).containsExactly(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
        assertThat(RetrySchedule.DEFAULT.delayBefore(9, () -> 0.5)).isEmpty();
    }

    @Test
    void jitterStaysWithinItsFraction() {
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            Duration wait = RetrySchedule.DEFAULT.delayBefore(3, random::nextDouble).orElseThrow();
            assertThat(wait).isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330));
        }
        assertThat(RetrySchedule.DEFAULT.delayBefore(1, random::nextDouble)).contains(Duration.ZERO);
    }

    @Test
    void twoHundredsAreDelivered() {
        assertThat(POLICY.after(1, status(200), NOW, () -> 0.5)).isInstanceOf(NextStep.Delivered.class);
        assertThat(POLICY.after(3, status(204), NOW, () -> 0.5)).isInstanceOf(NextStep.Delivered.class);
    }

    @Test
    void anyOtherAnswerOrNoAnswerIsRetriedOnTheSchedule() {
        for (int status : new int[] {0, 301, 400, 404, 500, 502}) {
            NextStep step = POLICY.after(2, status(status), NOW, () -> 0.5);
            assertThat(step).as("status %d", status).isEqualTo(new NextStep.Retry(3, NOW.plus(Duration.ofMinutes(5))));
        }
    }

    @Test
    void afterTheLastAttemptTheMessageIsGivenUp() {
        NextStep step = POLICY.after(8, status(500), NOW, () -> 0.5);
        assertThat(step).isInstanceOf(NextStep.GaveUp.class);
        assertThat(((NextStep.GaveUp) step).reason()).contains("8 attempts").contains("HTTP 500");
    }

    @Test
    void goneDisablesInsteadOfRetrying() {
        assertThat(POLICY.after(1, status(410), NOW, () -> 0.5)).isInstanceOf(NextStep.Gone.class);
    }

    @Test
    void retryAfterOf429And503IsHonouredWhenLongerThanTheSchedule() {
        AttemptResult slowDown = new AttemptResult(429, Duration.ofMillis(5), "", null, Duration.ofSeconds(120));
        assertThat(POLICY.after(1, slowDown, NOW, () -> 0.5)).isEqualTo(new NextStep.Retry(2, NOW.plusSeconds(120)));

        AttemptResult soon = new AttemptResult(503, Duration.ofMillis(5), "", null, Duration.ofSeconds(1));
        assertThat(POLICY.after(2, soon, NOW, () -> 0.5)).isEqualTo(new NextStep.Retry(3, NOW.plus(Duration.ofMinutes(5))));

        AttemptResult forever = new AttemptResult(503, Duration.ofMillis(5), "", null, Duration.ofDays(365));
        assertThat(POLICY.after(1, forever, NOW, () -> 0.5)).isEqualTo(new NextStep.Retry(2, NOW.plus(Duration.ofHours(24))));

        AttemptResult otherStatus = new AttemptResult(500, Duration.ofMillis(5), "", null, Duration.ofSeconds(120));
        assertThat(POLICY.after(1, otherStatus, NOW, () -> 0.5)).isEqualTo(new NextStep.Retry(2, NOW.plusSeconds(5)));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("Tue, 24 Nov 2026 12:01:30 GMT", NOW)).contains(Duration.ofSeconds(90));
        assertThat(RetryAfter.parse("Tue, 24 Nov 2026 11:00:00 GMT", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }

    @Test
    void anEndpointFailingForFiveDaysIsDisabled() {
        Instant since = NOW.minus(Duration.ofDays(5));
        assertThat(DisableRule.DEFAULT.disables(since, NOW)).isTrue();
        assertThat(DisableRule.DEFAULT.disables(since.plusSeconds(1), NOW)).isFalse();
        assertThat(DisableRule.DEFAULT.disables(null, NOW)).isFalse();
    }

    @Test
    void subscriptionsMatchTypesFamiliesAndEverything() {
        assertThat(EventTypes.subscribed(List.of("invoice.paid"), "invoice.paid")).isTrue();
        assertThat(EventTypes.subscribed(List.of("invoice.paid"), "invoice.voided")).isFalse();
        assertThat(EventTypes.subscribed(List.of("invoice.*"), "invoice.voided")).isTrue();
        assertThat(EventTypes.subscribed(List.of("invoice.*"), "invoices.created")).isFalse();
        assertThat(EventTypes.subscribed(List.of("*"), "anything.at.all")).isTrue();
        assertThat(EventTypes.validType("invoice.paid")).isTrue();
        assertThat(EventTypes.validType("invoice..paid")).isFalse();
        assertThat(EventTypes.validFilter("invoice.*")).isTrue();
        assertThat(EventTypes.validFilter("*.paid")).isFalse();
    }

    @Test
    void messageIdsAreStablePerEventAndEndpoint() {
        assertThat(Ids.message("evt_1", "ep_1")).isEqualTo(Ids.message("evt_1", "ep_1"))
                .isNotEqualTo(Ids.message("evt_1", "ep_2")).startsWith("msg_");
    }
}
