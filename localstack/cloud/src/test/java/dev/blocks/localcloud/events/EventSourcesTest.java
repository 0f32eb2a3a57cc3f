package dev.blocks.localcloud.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.blocks.localcloud.Await;
import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.QueueMappingSpec;
import dev.blocks.localcloud.spec.ScheduleSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedSqs.class)
class EventSourcesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private static LocalSqs sqs;

    @BeforeAll
    static void useSharedSqs(LocalSqs shared) {
        sqs = shared;
    }

    @Test
    void startsTheEnabledMappingsAndSchedulesOfACloud() throws Exception {
        String url = sqs.createQueue("uploads-events", Map.of());
        CloudSpec spec = spec(
                List.of(new QueueMappingSpec("uploads-events", "uploads-events", 10, 0, true, true)),
                List.of(new ScheduleSpec("reconcile", "rate(1 day)", "uploads-reconciler", true),
                        new ScheduleSpec("paused", "rate(1 day)", "uploads-reconciler", false)));
        RecordingFunction function = RecordingFunction.succeeding();
        EventSources sources = EventSources.start(spec, function, endpoints());
        try {
            sqs.client().sendMessage(r -> r.queueUrl(url).messageBody("{\"Records\":[]}"));
            Await.until(DEADLINE, () -> sqs.messagesLeft(url) == 0 && function.events().size() == 1,
                    () -> "the message delivered and deleted, invocations: " + function.events());
            assertThat(function.functionNames()).containsExactly("uploads-events");

            assertThat(sources.schedule("paused")).isEmpty();
            sources.schedule("reconcile").orElseThrow().fire().get(5, TimeUnit.SECONDS);
            assertThat(function.functionNames()).containsExactly("uploads-events", "uploads-reconciler");
        } finally {
            sources.stop();
        }
        assertThat(eventSourceThreads()).isEmpty();
    }

    @Test
    void anInvalidScheduleStartsNothing() {
        sqs.createQueue("never-polled", Map.of());
        CloudSpec spec = spec(List.of(new QueueMappingSpec("never-polled", "worker", 10, 0, false, true)),
                List.of(new ScheduleSpec("typo", "rate(5 minute)", "worker", true)));
        assertThatThrownBy(() -> EventSources.start(spec, RecordingFunction.succeeding(), endpoints()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate(5 minute)");
        assertThat(eventSourceThreads()).isEmpty();
    }

    private static CloudSpec spec(List<QueueMappingSpec> queueMappings, List<ScheduleSpec> schedules) {
        return new CloudSpec(List.of(), List.of(), List.of(), List.of(), List.of(), queueMappings, List.of(),
                schedules, List.of());
    }

    private static EventSources.Endpoints endpoints() {
        return new EventSources.Endpoints(sqs.endpoint(), LocalSqs.ACCESS_KEY, LocalSqs.SECRET_KEY, LocalSqs.REGION,
                null);
    }

    private static List<String> eventSourceThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("sqs-esm-") || name.startsWith("schedule-")
                        || name.startsWith("kafka-esm-"))
                .toList();
    }
}
