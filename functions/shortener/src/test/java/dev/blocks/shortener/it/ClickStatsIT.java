package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.shortener.domain.Click;
import dev.blocks.shortener.store.ClickJson;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** Clicks travel redirect → Kafka → clicks consumer → DynamoDB counters and a Redis HyperLogLog → stats. */
class ClickStatsIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    /**
     * One click, then silence: nothing thaws the redirect's frozen environment afterwards, so the click arrives
     * only if the redirect delivered it before answering (the test stack's linger outlasts the freeze).
     */
    @Test
    void theOnlyClickOfAQuietLinkArrivesThoughTheRedirectIsFrozenRightAfterIt() {
        Api api = new Api(CLOUD);
        String key = api.issueKey("quinn");
        String code = api.created(key, "{\"url\":\"https://example.com/quiet\"}").path("code").asText();

        assertThat(api.visitFrom("127.0.0.5", code, "https://quiet.example/")).isEqualTo(302);

        JsonNode stats = Api.pollUntil(Duration.ofSeconds(30),
                () -> Api.json(api.get(key, "/v1/links/" + code + "/stats")), s -> s.path("clicks").asLong() >= 1);
        assertThat(stats.path("clicks").asLong()).isEqualTo(1);
        assertThat(stats.path("topReferrers").get(0).path("referrer").asText()).isEqualTo("quiet.example");
    }

    @Test
    void statsCountClicksByDayReferrerAndUniqueVisitor() {
        Api api = new Api(CLOUD);
        String key = api.issueKey("carol");
        String code = api.created(key, "{\"url\":\"https://example.com/popular\"}").path("code").asText();

        JsonNode empty = Api.json(api.get(key, "/v1/links/" + code + "/stats"));
        assertThat(empty.path("clicks").asLong()).isZero();

        // 9 clicks from 3 visitors (distinct client IPs): 5 from news.example, 3 from blog.example, 1 direct.
        String[] visitors = {"127.0.0.2", "127.0.0.3", "127.0.0.4"};
        int sent = 0;
        for (int i = 0; i < 5; i++) {
            assertThat(api.visitFrom(visitors[i % 3], code, "https://www.news.example/story/" + i)).isEqualTo(302);
            sent++;
        }
        for (int i = 0; i < 3; i++) {
            assertThat(api.visitFrom(visitors[i], code, "https://blog.example/post")).isEqualTo(302);
            sent++;
        }
        assertThat(api.visitFrom(visitors[0], code, null)).isEqualTo(302);
        sent++;
        long expected = sent;

        // The consumer adds a batch to the counters in DynamoDB and then to the visitors' HyperLogLog in Redis: a
        // read between the two sees the clicks before their visitors, so wait for both.
        JsonNode stats = Api.pollUntil(Duration.ofSeconds(60),
                () -> Api.json(api.get(key, "/v1/links/" + code + "/stats")),
                s -> s.path("clicks").asLong() >= expected && s.path("uniqueVisitors").asLong() >= visitors.length);

        assertThat(stats.path("clicks").asLong()).isEqualTo(9);
        assertThat(stats.path("uniqueVisitors").asLong()).isEqualTo(3);
        assertThat(stats.path("clicksByDay")).hasSizeBetween(1, 2); // a run across midnight UTC spans two days
        long byDay = 0;
        for (JsonNode day : stats.path("clicksByDay")) {
            byDay += day.path("clicks").asLong();
        }
        assertThat(byDay).isEqualTo(9);
        String lastDay = stats.path("clicksByDay").get(stats.path("clicksByDay").size() - 1).path("day").asText();
        assertThat(lastDay).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        JsonNode referrers = stats.path("topReferrers");
        assertThat(referrers.get(0).path("referrer").asText()).isEqualTo("news.example");
        assertThat(referrers.get(0).path("clicks").asLong()).isEqualTo(5);
        assertThat(referrers.get(1).path("referrer").asText()).isEqualTo("blog.example");
        assertThat(referrers.get(1).path("clicks").asLong()).isEqualTo(3);
        assertThat(referrers.get(2).path("referrer").asText()).isEqualTo("(direct)");
    }

    /** A partition the clicks topic does not have, so that the real stream's marks never meet these. */
    private static final int PARTITION = 77;

    /** Invokes the clicks function as its Kafka mapping would, with one record per referrer at consecutive offsets. */
    private static void deliver(LambdaClient lambda, String code, long firstOffset, String... referrers) {
        ObjectNode event = Api.JSON.createObjectNode().put("eventSource", "aws:kafka");
        ArrayNode records = event.putObject("records").putArray(Cloud.PREFIX + "-clicks-" + PARTITION);
        for (int i = 0; i < referrers.length; i++) {
            byte[] value = ClickJson.encode(new Click(code, Instant.now(), referrers[i], "v" + (firstOffset + i), null, null));
            records.addObject().put("topic", Cloud.PREFIX + "-clicks").put("partition", PARTITION)
                    .put("offset", firstOffset + i).put("timestamp", System.currentTimeMillis())
                    .put("value", Base64.getEncoder().encodeToString(value));
        }
        InvokeResponse response = lambda.invoke(b -> b.functionName(Cloud.PREFIX + "-clicks")
                .payload(SdkBytes.fromUtf8String(event.toString())));
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
    }

    /**
     * Kafka redelivers a failed batch from the last committed offset with whatever boundaries it has then: a
     * batch that grew, one that starts inside the last, and an exact replay each add only the clicks not yet
     * counted (the counters keep a mark per partition, not per batch).
     */
    @Test
    void aBatchRedeliveredWithOtherBoundariesCountsEachClickOnce() {
        Api api = new Api(CLOUD);
        String key = api.issueKey("rita");
        String code = api.created(key, "{\"url\":\"https://example.com/redelivered\"}").path("code").asText();
        try (LambdaClient lambda = api.lambda()) {
            deliver(lambda, code, 10, "https://a.example/", "https://b.example/");              // 10, 11
            assertThat(clicks(api, key, code)).isEqualTo(2);
            deliver(lambda, code, 10, "https://a.example/", "https://b.example/",
                    "https://c.example/", "https://d.example/");                                 // 10..13: 12, 13 new
            assertThat(clicks(api, key, code)).isEqualTo(4);
            deliver(lambda, code, 12, "https://c.example/", "https://d.example/", "https://e.example/"); // 14 new
            assertThat(clicks(api, key, code)).isEqualTo(5);
            deliver(lambda, code, 10, "https://a.example/", "https://b.example/",
                    "https://c.example/", "https://d.example/");                                 // all counted
        }
        JsonNode stats = Api.json(api.get(key, "/v1/links/" + code + "/stats"));
        assertThat(stats.path("clicks").asLong()).isEqualTo(5);
        for (JsonNode referrer : stats.path("topReferrers")) {
            assertThat(referrer.path("clicks").asLong()).as(referrer.toString()).isEqualTo(1);
        }
        assertThat(stats.path("topReferrers")).hasSize(5);
    }

    private static long clicks(Api api, String key, String code) {
        return Api.json(api.get(key, "/v1/links/" + code + "/stats")).path("clicks").asLong();
    }

    /**
     * Every click from a new random site but one real site's: the stats item keeps a bounded number of names
     * (limit 150 + one batch's 20 new + "(other)"), its counters add up to the clicks, and the real site leads
     * the named referrers.
     */
    @Test
    void randomReferrersKeepTheStatsItemBoundedAndTheRealSiteOnTop() {
        Api api = new Api(CLOUD);
        String key = api.issueKey("randy");
        String code = api.created(key, "{\"url\":\"https://example.com/attacked\"}").path("code").asText();
        int batches = 30;
        int perBatch = 30;
        try (LambdaClient lambda = api.lambda()) {
            for (int b = 0; b < batches; b++) {
                String[] referrers = new String[perBatch];
                for (int i = 0; i < perBatch; i++) {
                    referrers[i] = i == 13 ? "https://real.example/post"
                            : "https://0" + UUID.randomUUID().toString().replace("-", "") + ".example/";
                }
                deliver(lambda, code, 1000L + (long) b * perBatch, referrers);
            }
        }
        Map<String, AttributeValue> item;
        try (DynamoDbClient dynamo = api.dynamo()) {
            item = dynamo.getItem(b -> b.tableName(Cloud.TABLE).consistentRead(true).key(Map.of(
                    "pk", AttributeValue.fromS(code), "sk", AttributeValue.fromS("stats")))).item();
        }
        long names = item.keySet().stream().filter(n -> n.startsWith("r_")).count();
        long sum = item.entrySet().stream().filter(e -> e.getKey().startsWith("r_"))
                .mapToLong(e -> Long.parseLong(e.getValue().n())).sum();
        assertThat(names).isBetween(101L, 150L + 20 + 1); // folded at least once: 870 random sites were sent
        assertThat(sum).isEqualTo((long) batches * perBatch);
        assertThat(item.get("r_(other)").n()).isNotNull();

        JsonNode stats = Api.json(api.get(key, "/v1/links/" + code + "/stats"));
        assertThat(stats.path("clicks").asLong()).isEqualTo((long) batches * perBatch);
        JsonNode top = stats.path("topReferrers");
        assertThat(top.get(0).path("referrer").asText()).isEqualTo("(other)");
        // Named from its first batch with a chance of 2 in 3 (it ties with 29 one-click sites for 20 places, in
        // an order the consumer draws at random), and counted by name in every batch after.
        assertThat(top.get(1).path("referrer").asText()).isEqualTo("real.example");
        assertThat(top.get(1).path("clicks").asLong()).isBetween((long) batches - 10, (long) batches);
    }
}
