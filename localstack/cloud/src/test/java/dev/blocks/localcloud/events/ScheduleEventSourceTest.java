package dev.blocks.localcloud.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.spec.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScheduleEventSourceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void aOneSecondRateFiresRepeatedlyWithTheScheduledEvent() {
        RecordingFunction function = RecordingFunction.succeeding();
        ScheduleEventSource source = new ScheduleEventSource(
                new ScheduleSpec("heartbeat", "rate(1 second)", "dispatcher", true), function, "us-east-1");
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        source.start();
        try {
            Await.until(DEADLINE, () -> function.events().size() >= 3, () -> "three ticks, got " + function.events());
        } finally {
            source.stop();
        }
        List<JsonNode> events = function.events();
        JsonNode event = events.get(0);
        assertThat(event.path("version").asText()).isEqualTo("0");
        assertThat(event.path("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(event.path("detail-type").asText()).isEqualTo("Scheduled Event");
        assertThat(event.path("source").asText()).isEqualTo("aws.events");
        assertThat(event.path("account").asText()).isEqualTo("000000000000");
        assertThat(event.path("region").asText()).isEqualTo("us-east-1");
        assertThat(event.path("resources").toString())
                .isEqualTo("[\"arn:aws:events:us-east-1:000000000000:rule/heartbeat\"]");
        assertThat(event.path("detail").isObject()).isTrue();
        assertThat(event.path("detail").size()).isZero();
        assertThat(function.functionNames()).containsOnly("dispatcher");

        List<Instant> times = events.stream().map(e -> Instant.parse(e.path("time").asText())).toList();
        assertThat(times.get(0)).as("the first tick is one period after the start").isAfterOrEqualTo(started.plusSeconds(1));
        for (int i = 1; i < times.size(); i++) {
            // Whole periods apart: a tick the machine was too busy to run in time is skipped, not replayed.
            Duration gap = Duration.between(times.get(i - 1), times.get(i));
            assertThat(gap).isPositive();
            assertThat(gap.toMillis() % 1000).isZero();
        }
        assertThat(events.stream().map(e -> e.path("id").asText()).distinct()).hasSize(events.size());
    }

    @Test
    void fireInvokesAtOnceBesidesTheSchedule() throws Exception {
        RecordingFunction function = RecordingFunction.succeeding();
        ScheduleEventSource source = new ScheduleEventSource(
                new ScheduleSpec("nightly", "cron(0 3 * * ? *)", "reconciler", true), function, "us-east-1");
        source.start();
        try {
            source.fire().get(5, TimeUnit.SECONDS);
            assertThat(function.events()).hasSize(1);
            assertThat(function.events().get(0).path("resources").get(0).asText()).endsWith(":rule/nightly");
        } finally {
            source.stop();
        }
    }

    @Test
    void aRunLongerThanThePeriodDoesNotDelayTheNextTicks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingFunction function = new RecordingFunction((event, invocation) -> {
            if (invocation == 0) {
                try {
                    release.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return "null";
        });
        ScheduleEventSource source = new ScheduleEventSource(
                new ScheduleSpec("busy", "rate(1 second)", "slow", true), function, "us-east-1");
        source.start();
        try {
            Await.until(DEADLINE, () -> function.events().size() >= 3,
                    () -> "ticks go on while the first run is still under way, got " + function.events().size());
            assertThat(release.getCount()).as("the first run has not ended").isEqualTo(1);
        } finally {
            release.countDown();
            source.stop();
        }
    }
}
