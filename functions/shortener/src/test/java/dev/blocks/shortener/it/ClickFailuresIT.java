package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.shortener.domain.Click;
import dev.blocks.shortener.store.ClickJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A click that can never be counted, through the real stream: Kafka → the clicks mapping (retry cap, bisection,
 * on-failure queue, from the stack's Terraform) → the clicks function → DynamoDB.
 */
class ClickFailuresIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final String TOPIC = Cloud.PREFIX + "-clicks";
    private static final String FAILED_QUEUE = Cloud.PREFIX + "-clicks-failed";
    private static final String SPOOL_QUEUE = Cloud.PREFIX + "-clicks-spool";
    /** DynamoDB's largest item. */
    private static final int MAX_ITEM_BYTES = 400 * 1024;
    /** The partition every record of the test goes to, so that the good clicks queue up behind the bad ones. */
    private static final int PARTITION = 0;

    /**
     * A stats item already at DynamoDB's size limit with no referrers to fold (written before the item was
     * bounded) refuses every click of its code. That click, a record that is not a click at all, and clicks of
     * another link behind both, in one partition: the bad click is isolated by bisection and its record (offsets,
     * no values) ends in clicks-failed, the malformed record is skipped, and every good click is counted once.
     */
    @Test
    void aClickThatCanNeverBeWrittenEndsInClicksFailedAndTheClicksBehindItAreCounted() throws Exception {
        Api api = new Api(CLOUD);
        String key = api.issueKey("pat");
        String good = api.created(key, "{\"url\":\"https://example.com/behind-poison\"}").path("code").asText();
        String poison = "legacy" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Endpoints endpoints = CLOUD.endpoints();
        try (DynamoDbClient dynamo = api.dynamo()) {
            fillStatsItem(dynamo, poison, Map.of());
        }

        long poisonOffset;
        long malformedOffset;
        int goodClicks = 5;
        try (KafkaProducer<byte[], byte[]> producer = producer(endpoints)) {
            poisonOffset = send(producer, poison, ClickJson.encode(click(poison, "https://legacy.example/")));
            malformedOffset = send(producer, good, "{\"code\":".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < goodClicks; i++) {
                send(producer, good, ClickJson.encode(click(good, "https://after.example/" + i)));
            }
        }

        JsonNode stats = Api.pollUntil(Duration.ofSeconds(60),
                () -> Api.json(api.get(key, "/v1/links/" + good + "/stats")),
                s -> s.path("clicks").asLong() >= goodClicks);
        assertThat(stats.path("clicks").asLong()).as("every click behind the bad ones, once").isEqualTo(goodClicks);
        assertThat(stats.path("topReferrers").get(0).path("referrer").asText()).isEqualTo("after.example");

        List<JsonNode> failed = new ArrayList<>();
        try (SqsClient sqs = api.sqs()) {
            String queueUrl = sqs.getQueueUrl(b -> b.queueName(FAILED_QUEUE)).queueUrl();
            JsonNode record = Api.pollUntil(Duration.ofSeconds(60), () -> {
                for (Message message : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(1)).messages()) {
                    failed.add(json(message.body()));
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                }
                return failed.stream().filter(r -> covers(r, poisonOffset)).findFirst().orElse(null);
            }, r -> r != null);
            assertThat(record).as("the on-failure record of the poison click, in " + FAILED_QUEUE + ": " + failed)
                    .isNotNull();
            assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetryAttemptsExhausted");
            assertThat(record.path("requestContext").path("functionArn").asText())
                    .endsWith(":function:" + Cloud.PREFIX + "-clicks");
            // The stack allows 1 retry: the click alone was tried twice, after the splits that isolated it.
            assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isGreaterThanOrEqualTo(2);
            JsonNode batch = record.path("KafkaBatchInfo");
            assertThat(batch.path("batchSize").asInt()).as("bisection left the poison click alone").isEqualTo(1);
            JsonNode offsets = batch.path("recordsInfo").path(TOPIC + "-" + PARTITION);
            assertThat(offsets.path("firstRecordOffset").asText()).isEqualTo(Long.toString(poisonOffset));
            assertThat(offsets.path("lastRecordOffset").asText()).isEqualTo(Long.toString(poisonOffset));
            assertThat(record.toString()).as("no click values in an SQS on-failure record").doesNotContain(poison);
        }
        assertThat(failed).as("the malformed record was skipped, not failed")
                .noneMatch(r -> covers(r, malformedOffset));
    }

    /**
     * The recovery path: a stats item at DynamoDB's size limit because it names 200 referrer sites (written
     * before referrers were bounded) refuses the next click's update; the function folds all but the 100 busiest
     * sites into "(other)", which frees room, and counts the click, through the real redirect and stream.
     */
    @Test
    void aStatsItemTooLargeForTheNextClickIsFoldedAndTheClickCounted() {
        Api api = new Api(CLOUD);
        String key = api.issueKey("lee");
        String code = api.created(key, "{\"url\":\"https://example.com/legacy-referrers\"}").path("code").asText();
        int legacySites = 200;
        Map<String, AttributeValue> referrers = new HashMap<>();
        for (int i = 0; i < legacySites; i++) {
            // Site i has i + 1 clicks: the 100 busiest are kept by name, the others folded.
            referrers.put("r_site-" + i + "-" + "s".repeat(24) + ".example", AttributeValue.fromN(Integer.toString(i + 1)));
        }
        long legacyClicks = (long) legacySites * (legacySites + 1) / 2;
        referrers.put("clicks", AttributeValue.fromN(Long.toString(legacyClicks)));
        try (DynamoDbClient dynamo = api.dynamo()) {
            fillStatsItem(dynamo, code, referrers);

            assertThat(api.visitFrom("127.0.0.9", code, "https://recovered.example/")).isEqualTo(302);

            JsonNode stats = Api.pollUntil(Duration.ofSeconds(60),
                    () -> Api.json(api.get(key, "/v1/links/" + code + "/stats")),
                    s -> s.path("clicks").asLong() > legacyClicks);
            assertThat(stats.path("clicks").asLong()).isEqualTo(legacyClicks + 1);
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(Cloud.TABLE).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS(code), "sk", AttributeValue.fromS("stats")))).item();
            long names = item.keySet().stream().filter(n -> n.startsWith("r_") && !n.equals("r_(other)")).count();
            long folded = (long) (legacySites - 100) * (legacySites - 100 + 1) / 2;
            assertThat(names).as("the 100 busiest legacy sites and the new one").isEqualTo(101);
            assertThat(item.get("r_(other)").n()).isEqualTo(Long.toString(folded));
            assertThat(item.get("r_recovered.example").n()).isEqualTo("1");
        }
    }

    /** Whether an on-failure record's range of the test's partition includes {@code offset}. */
    private static boolean covers(JsonNode record, long offset) {
        JsonNode range = record.path("KafkaBatchInfo").path("recordsInfo").path(TOPIC + "-" + PARTITION);
        return !range.isMissingNode() && Long.parseLong(range.path("firstRecordOffset").asText()) <= offset
                && offset <= Long.parseLong(range.path("lastRecordOffset").asText());
    }

    /**
     * Writes the code's stats item as one written before the item was bounded could be: {@code attributes} and
     * a padding attribute that brings it as close to DynamoDB's 400 KB as it takes (the padding shrinks until
     * DynamoDB accepts the item), so that the next click's update makes it too large.
     */
    private static void fillStatsItem(DynamoDbClient dynamo, String code, Map<String, AttributeValue> attributes) {
        int fixed = "pk".length() + code.length() + "sk".length() + "stats".length() + "legacy".length();
        for (Map.Entry<String, AttributeValue> attribute : attributes.entrySet()) {
            fixed += attribute.getKey().length() + (attribute.getValue().s() != null
                    ? attribute.getValue().s().length() : attribute.getValue().n().length());
        }
        // From above the estimate (DynamoDB sizes numbers by their digits, about half a byte each) downwards.
        for (int padding = MAX_ITEM_BYTES - fixed + 100; padding > MAX_ITEM_BYTES - fixed - 300; padding--) {
            Map<String, AttributeValue> item = new HashMap<>(attributes);
            item.put("pk", AttributeValue.fromS(code));
            item.put("sk", AttributeValue.fromS("stats"));
            item.put("legacy", AttributeValue.fromS("x".repeat(padding)));
            try {
                dynamo.putItem(b -> b.tableName(Cloud.TABLE).item(item));
                // Only at the limit if one byte more was refused: then any update that adds to it is refused too.
                assertThat(padding).as("the first, larger, attempt was refused").isLessThan(MAX_ITEM_BYTES - fixed + 100);
                return;
            } catch (DynamoDbException tooLarge) {
                // one byte less
            }
        }
        throw new AssertionError("DynamoDB accepted no stats item within 300 bytes of its estimated limit");
    }

    /**
     * The spool delivers at least once, and clicks-replay may publish a click twice: the same spooled click (one
     * spool id) put on the spool queue twice, beside a message that is not a click, is counted once. Once the
     * queue is drained, a second click of the same code, published after both copies on the same partition, is
     * counted: so the copy that was not counted was read and refused, not still on its way.
     */
    @Test
    void aClickTheSpoolDeliversTwiceIsCountedOnce() throws Exception {
        Api api = new Api(CLOUD);
        String key = api.issueKey("spool");
        String code = api.created(key, "{\"url\":\"https://example.com/spooled\"}").path("code").asText();
        try (SqsClient sqs = api.sqs()) {
            String spool = sqs.getQueueUrl(b -> b.queueName(SPOOL_QUEUE)).queueUrl();
            String twice = new String(ClickJson.encode(click(code, "https://twice.example/"), UUID.randomUUID().toString()),
                    StandardCharsets.UTF_8);
            sqs.sendMessage(b -> b.queueUrl(spool).messageBody(twice));
            sqs.sendMessage(b -> b.queueUrl(spool).messageBody("{\"code\":"));
            sqs.sendMessage(b -> b.queueUrl(spool).messageBody(twice));
            assertThat(clicks(api, key, code, 1)).isEqualTo(1);
            Api.pollUntil(Duration.ofSeconds(60), () -> waiting(sqs, spool), n -> n == 0);

            String once = new String(ClickJson.encode(click(code, "https://once.example/"), UUID.randomUUID().toString()),
                    StandardCharsets.UTF_8);
            sqs.sendMessage(b -> b.queueUrl(spool).messageBody(once));
            assertThat(clicks(api, key, code, 2)).as("the duplicate was refused, the next click counted").isEqualTo(2);
        }
    }

    private static long clicks(Api api, String key, String code, long atLeast) {
        return Api.pollUntil(Duration.ofSeconds(60),
                () -> Api.json(api.get(key, "/v1/links/" + code + "/stats")).path("clicks").asLong(), n -> n >= atLeast);
    }

    /** Messages on the queue, visible or being handled. */
    private static long waiting(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return attributes.values().stream().mapToLong(Long::parseLong).sum();
    }

    private static Click click(String code, String referrer) {
        return new Click(code, Instant.now(), referrer, "visitor-" + UUID.randomUUID(), null, null);
    }

    private static long send(KafkaProducer<byte[], byte[]> producer, String code, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(TOPIC, PARTITION, code.getBytes(StandardCharsets.UTF_8), value))
                .get().offset();
    }

    private static KafkaProducer<byte[], byte[]> producer(Endpoints endpoints) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafka());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    private static JsonNode json(String text) {
        try {
            return Api.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
