package dev.blocks.kit.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.HandClock;
import dev.blocks.kit.lambda.Invocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A batch stops before the invocation's deadline and leaves the untouched rest for SQS to deliver again. */
class SqsDeadlineTest {

    private final HandClock clock = new HandClock(Instant.ofEpochMilli(0));
    private final List<String> handled = new ArrayList<>();

    /** Each message takes {@code millis} of the hand clock; the ones in {@code failing} throw after that. */
    private SqsFunction taking(long millis, Set<String> failing) {
        return new SqsFunction() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public void onMessage(SqsMessage message) {
                handled.add(message.messageId());
                clock.advance(Duration.ofMillis(millis));
                if (failing.contains(message.messageId())) {
                    throw new IllegalStateException("refused");
                }
            }
        };
    }

    private static JsonNode batch(String... ids) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        ArrayNode records = event.putArray("Records");
        for (String id : ids) {
            records.addObject().put("messageId", id).put("receiptHandle", "r-" + id).put("body", "{}")
                    .putObject("attributes").put("ApproximateReceiveCount", "1");
        }
        return event;
    }

    private static List<String> failures(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.path("batchItemFailures").forEach(f -> ids.add(f.path("itemIdentifier").asText()));
        return ids;
    }

    private Invocation stoppingAt(long millis) {
        return new Invocation("req-1", "test", millis, false, clock::millis);
    }

    @Test
    void messagesThatWouldRunPastTheStopAreLeftForARetryUntouched() throws Exception {
        // 300 ms each, stop at 1000: after three (900 ms) a fourth would end at 1200.
        JsonNode response = Invocation.callWith(stoppingAt(1000),
                () -> taking(300, Set.of()).invoke(batch("m1", "m2", "m3", "m4", "m5")));

        assertThat(handled).containsExactly("m1", "m2", "m3");
        assertThat(failures(response)).containsExactly("m4", "m5");
    }

    @Test
    void aFailedMessageCountsTowardsTheLongestAndIsReportedToo() throws Exception {
        JsonNode response = Invocation.callWith(stoppingAt(700),
                () -> taking(300, Set.of("m1")).invoke(batch("m1", "m2", "m3")));

        assertThat(handled).containsExactly("m1", "m2");
        assertThat(failures(response)).containsExactly("m1", "m3");
    }

    @Test
    void pastTheStopNothingIsTouched() throws Exception {
        clock.set(Instant.ofEpochMilli(2000));
        JsonNode response = Invocation.callWith(stoppingAt(1000),
                () -> taking(1, Set.of()).invoke(batch("m1", "m2")));

        assertThat(handled).isEmpty();
        assertThat(failures(response)).containsExactly("m1", "m2");
    }

    @Test
    void anyLoopStopsBeforeTheStopAndSaysHowFarItGot() {
        List<Integer> done = new ArrayList<>();
        int ran = stoppingAt(1000).eachInTime(List.of(1, 2, 3, 4, 5), item -> {
            done.add(item);
            clock.advance(Duration.ofMillis(400));
        });

        // 400 ms each: after two (800 ms) a third would end at 1200.
        assertThat(ran).isEqualTo(2);
        assertThat(done).containsExactly(1, 2);
    }

    @Test
    void withoutAnInvocationEveryMessageIsHandled() {
        JsonNode response = taking(60_000, Set.of()).invoke(batch("m1", "m2", "m3"));

        assertThat(handled).containsExactly("m1", "m2", "m3");
        assertThat(failures(response)).isEmpty();
    }
}
