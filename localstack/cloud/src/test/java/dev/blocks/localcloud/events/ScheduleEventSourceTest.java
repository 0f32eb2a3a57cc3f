package dev.blocks.localcloud.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.Await;
import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.spec.ScheduleSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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

    @Test
    void ticksAreHandedToLambdaAsAsynchronousInvocations() throws Exception {
        List<String> queued = new CopyOnWriteArrayList<>();
        FunctionInvoker lambda = new FunctionInvoker() {
            @Override
            public byte[] invoke(String functionName, byte[] payload) {
                throw new AssertionError("EventBridge invokes asynchronously");
            }

            @Override
            public Queued invokeAsync(String functionName, byte[] payload) {
                queued.add(functionName);
                return new Queued("request-" + queued.size(), CompletableFuture.completedFuture(null));
            }
        };
        ScheduleEventSource source = new ScheduleEventSource(
                new ScheduleSpec("nightly", "cron(0 3 * * ? *)", "reconciler", true), lambda, "us-east-1");
        source.start();
        try {
            source.fire().get(5, TimeUnit.SECONDS);
        } finally {
            source.stop();
        }
        assertThat(queued).containsExactly("reconciler");
    }

    @Test
    void aSchedulerTargetGetsItsInputWithTheContextAttributesFilledIn() throws Exception {
        String input = "{\"job\":\"reconcile\",\"arn\":\"<aws.scheduler.schedule-arn>\","
                + "\"at\":\"<aws.scheduler.scheduled-time>\",\"execution\":\"<aws.scheduler.execution-id>\","
                + "\"attempt\":<aws.scheduler.attempt-number>}";
        ScheduleEventSource source = new ScheduleEventSource(new ScheduleSpec("reconcile", "rate(1 hour)",
                "reconciler", true, Optional.of(input), Optional.of("jobs")), RecordingFunction.succeeding(), "eu-west-1");

        JsonNode event = new ObjectMapper().readTree(source.event(Instant.parse("2026-12-07T10:15:30.456Z")));

        assertThat(event.path("job").asText()).isEqualTo("reconcile");
        assertThat(event.path("arn").asText()).isEqualTo("arn:aws:scheduler:eu-west-1:000000000000:schedule/jobs/reconcile");
        assertThat(event.path("at").asText()).isEqualTo("2026-12-07T10:15:30Z");
        assertThat(event.path("execution").asText()).matches("[0-9a-z]{16}");
        assertThat(event.path("attempt").asInt()).isEqualTo(1);
        assertThat(event.size()).isEqualTo(5);
    }

    @Test
    void aSchedulerInputWithoutPlaceholdersIsDeliveredAsItIs() {
        String input = "{ \"exactly\" : [1, 2.50, \"as written\"] }";
        ScheduleEventSource source = new ScheduleEventSource(new ScheduleSpec("plain", "rate(1 hour)", "f", true,
                Optional.of(input), Optional.of("default")), RecordingFunction.succeeding(), "us-east-1");

        assertThat(new String(source.event(Instant.now()), StandardCharsets.UTF_8)).isEqualTo(input);
    }

    @Test
    void aSchedulerScheduleWithoutInputSendsTheDefaultNotificationNamingTheSchedule() throws Exception {
        ScheduleEventSource source = new ScheduleEventSource(new ScheduleSpec("tidy", "rate(1 hour)", "f", true,
                Optional.empty(), Optional.of("default")), RecordingFunction.succeeding(), "us-east-1");

        JsonNode event = new ObjectMapper().readTree(source.event(Instant.parse("2026-12-07T10:00:00Z")));

        assertThat(event.path("source").asText()).isEqualTo("aws.scheduler");
        assertThat(event.path("detail-type").asText()).isEqualTo("Scheduled Event");
        assertThat(event.path("time").asText()).isEqualTo("2026-12-07T10:00:00Z");
        assertThat(event.path("resources").toString())
                .isEqualTo("[\"arn:aws:scheduler:us-east-1:000000000000:schedule/default/tidy\"]");
    }

    @Test
    void aOneTimeScheduleFiresOnceAtItsTimeAndAPastOneNever() throws Exception {
        DateTimeFormatter at = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
        Instant soon = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
        RecordingFunction function = RecordingFunction.succeeding();
        RecordingFunction pastFunction = RecordingFunction.succeeding();
        ScheduleEventSource once = new ScheduleEventSource(new ScheduleSpec("once", "at(" + at.format(soon) + ")",
                "f", true, Optional.of("{\"t\":\"<aws.scheduler.scheduled-time>\"}"), Optional.of("default")),
                function, "us-east-1");
        ScheduleEventSource past = new ScheduleEventSource(new ScheduleSpec("past",
                "at(" + at.format(soon.minusSeconds(3600)) + ")", "f", true, Optional.empty(), Optional.of("default")),
                pastFunction, "us-east-1");
        once.start();
        past.start();
        try {
            Await.until(DEADLINE, () -> !function.events().isEmpty(), () -> "the one-time schedule to fire");
            // Two more seconds: a repeating schedule would have fired again by then.
            Instant waitUntil = Instant.now().plusSeconds(2);
            Await.until(DEADLINE, () -> Instant.now().isAfter(waitUntil), () -> "time to pass");
        } finally {
            once.stop();
            past.stop();
        }
        assertThat(function.events()).hasSize(1);
        assertThat(function.events().get(0).path("t").asText()).isEqualTo(soon.toString());
        assertThat(pastFunction.events()).isEmpty();
    }
}
