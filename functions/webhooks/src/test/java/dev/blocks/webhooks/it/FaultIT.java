package dev.blocks.webhooks.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.FaultReport;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.localcloud.junit.Pace;
import dev.blocks.webhooks.domain.Scheme;
import dev.blocks.webhooks.domain.SecretSet;
import dev.blocks.webhooks.domain.Signatures;
import dev.blocks.webhooks.domain.WebhookSecret;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Fault suite (issue 14) for webhooks: the queue, the deliverer and the Kafka broker each fail while messages are on
 * their way (a receiver down for 2 minutes needs a retry schedule of its own: {@link ReceiverOutageIT}). Delivery is
 * at least once, so a receiver may see a message twice on the wire, but only ever under its one {@code webhook-id}:
 * the receivers here dedupe on it, as the Standard Webhooks spec asks of receivers, and each test counts raw
 * deliveries against distinct ids. Each test has an owner and paths of its own.
 */
class FaultIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String DELIVERER = Cloud.PREFIX + "-webhooks-deliverer";
    private static final String DELIVERY_QUEUE = Cloud.PREFIX + "-webhooks-delivery";
    private static final String SWEEP_SCHEDULE = Cloud.PREFIX + "-webhooks-sweep";

    private static Api api;
    private static Receiver receiver;

    @BeforeAll
    static void setUp() throws Exception {
        api = new Api(CLOUD);
        receiver = Receiver.start(0);
    }

    @AfterAll
    static void tearDown() {
        receiver.close();
    }

    private static String owner() {
        return api.newOwnerKey("fault");
    }

    private static void endpoint(String key, String url) {
        api.expect(201, "POST", "/v1/endpoints", key, "{\"url\":\"" + url + "\",\"events\":[\"*\"]}");
    }

    /** Publishes one event; it answers 202 whether the queue is up or down (the outbox keeps it). */
    private static String publish(String key, int n) {
        return api.publishOne(key, "fault.tested", n);
    }

    /** Waits until every id arrived at {@code path}, firing the sweeper meanwhile for messages stored but never queued. */
    private static List<String> awaitAll(Receiver from, String path, List<String> sent) {
        return Api.pollUntil(DEADLINE, () -> {
            CLOUD.fireSchedule(SWEEP_SCHEDULE);
            return from.webhookIds(path);
        }, got -> Set.copyOf(got).containsAll(sent));
    }

    /**
     * ElasticMQ stopped while messages are queued, some received and not yet deleted, and publishing goes on; started
     * again 3 s later (an outage long enough that publishes, receives and deletes all fail; the queue keeps its
     * messages, in-flight ones too). Costs about 15 s.
     */
    @Test
    void anSqsRestartWithMessagesInFlightLosesNothing() throws Exception {
        String key = owner();
        String path = "/fault-sqs-" + UUID.randomUUID();
        endpoint(key, receiver.url(path));
        int total = 40;
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        int publishedAtStop;
        int publishedAtStart;
        int deliveredAtStop;
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        Future<?> publishing = publisher.submit(() -> {
            for (int i = 0; i < total; i++) {
                sent.add(publish(key, i));
            }
        });
        try {
            assertThat(Api.pollUntil(DEADLINE, () -> receiver.requests(path).size(), n -> n >= 5))
                    .as("deliveries before the outage").isGreaterThanOrEqualTo(5);
            CLOUD.stopService("sqs");
            try {
                publishedAtStop = sent.size();
                deliveredAtStop = receiver.requests(path).size();
                Pace.sleep(Duration.ofSeconds(3)); // the outage's length, not a wait for an outcome
            } finally {
                publishedAtStart = sent.size();
                CLOUD.startService("sqs");
            }
            publishing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            publisher.shutdownNow();
        }

        List<String> arrived = awaitAll(receiver, path, sent);
        FaultReport.of("webhooks sqs restarted with messages in flight", sent, arrived, "raw deliveries "
                + arrived.size() + "; at the stop " + publishedAtStop + " published, " + deliveredAtStop
                + " delivered; " + (publishedAtStart - publishedAtStop) + " published during the outage");
        assertThat(deliveredAtStop).as("messages were still on their way when SQS stopped").isLessThan(total);
        assertThat(Set.copyOf(arrived)).as("no webhook-id that was not sent").isSubsetOf(Set.copyOf(sent));
        for (String id : sent) {
            assertThat(api.expect(200, "GET", "/v1/messages/" + id, key, null).path("status").asText()).isEqualTo("DELIVERED");
        }
    }

    /**
     * The deliverer's process killed while it is delivering a batch (the receiver answers each request 400 ms after
     * taking it, so the kill lands mid-batch). The failed invocation's messages come back after the queue's
     * visibility timeout: 270 s in this stack (6 × the function timeout, as AWS advises), too long for CI, so the test
     * shortens it to 10 s on the queue for its duration. Costs about 20 s.
     */
    @Test
    void aDelivererKilledMidBatchHasTheBatchRedeliveredAndEachMessageTakesEffectOnce() throws Exception {
        String key = owner();
        String path = "/fault-kill-" + UUID.randomUUID();
        endpoint(key, receiver.url(path));
        receiver.delay(path, Duration.ofMillis(400));
        try (SqsClient sqs = api.sqs()) {
            String queue = sqs.getQueueUrl(b -> b.queueName(DELIVERY_QUEUE)).queueUrl();
            String visibility = sqs.getQueueAttributes(b -> b.queueUrl(queue)
                    .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes()
                    .get(QueueAttributeName.VISIBILITY_TIMEOUT);
            sqs.setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "10")));
            try {
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    sent.add(publish(key, i));
                }
                assertThat(Api.pollUntil(DEADLINE, () -> receiver.requests(path).size(), n -> n >= 1))
                        .as("the batch being delivered").isGreaterThanOrEqualTo(1);
                int beforeKill = receiver.requests(path).size();
                CLOUD.killFunction(DELIVERER);
                receiver.delay(path, Duration.ZERO);

                List<String> arrived = awaitAll(receiver, path, sent);
                FaultReport.of("webhooks deliverer killed mid-batch", sent, arrived, "raw deliveries " + arrived.size()
                        + ", " + beforeKill + " taken before the kill");
                assertThat(beforeKill).as("killed mid-batch, not after it").isLessThan(sent.size());
                assertThat(Set.copyOf(arrived)).isSubsetOf(Set.copyOf(sent));
                for (String id : sent) {
                    JsonNode message = api.expect(200, "GET", "/v1/messages/" + id, key, null);
                    assertThat(message.path("status").asText()).as(message.toString()).isEqualTo("DELIVERED");
                }
            } finally {
                sqs.setQueueAttributes(b -> b.queueUrl(queue)
                        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, visibility)));
            }
        }
    }

    /**
     * The Kafka broker stopped for 30 s while a provider keeps sending signed webhooks to a source with a Kafka
     * destination. A sender that is not answered 2xx retries the same delivery (same id and body) after Retry-After,
     * as providers do. Every id must end up on the topic, and no id twice under another key. Costs about 45 s.
     */
    @Test
    void inboundWebhooksDuringAKafkaOutageAreRefusedRetryablyOrPublishedLater() throws Exception {
        String key = api.newOwnerKey("fault-kafka");
        String secret = WebhookSecret.generate();
        String source = "fault-kafka-" + UUID.randomUUID().toString().substring(0, 8);
        String receiveId = api.expect(201, "PUT", "/v1/hooks/sources/" + source, key, "{\"scheme\":\"standard\","
                + "\"secrets\":[\"" + secret + "\"],\"destination\":{\"type\":\"kafka\",\"name\":\""
                + Cloud.INBOUND_TOPIC + "\"}}").path("id").asText();
        Signatures standard = Scheme.STANDARD.signatures(null);

        List<String> sent = new ArrayList<>();
        int accepted = 0;
        int refused = 0;
        int other = 0;
        List<String> refusalsWithoutRetryAfter = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        String before = "msg_fault_" + UUID.randomUUID();
        sent.add(before);
        assertThat(deliver(receiveId, standard, secret, before, refusalsWithoutRetryAfter))
                .as("accepted before the outage").isEqualTo(202);
        accepted++;
        Instant started = Instant.now();
        CLOUD.stopService("kafka");
        Instant outageEnds = started.plusSeconds(30);
        try {
            while (Instant.now().isBefore(outageEnds)) {
                // a new delivery a second (each refusal takes up to the publish timeout, 5 s); retried after the outage
                String id = "msg_fault_" + UUID.randomUUID();
                sent.add(id);
                int status = deliver(receiveId, standard, secret, id, refusalsWithoutRetryAfter);
                if (status == 202 || status == 200) {
                    accepted++;
                } else {
                    pending.add(id);
                    if (status == 503) {
                        refused++;
                    } else {
                        other++;
                    }
                }
                Pace.sleep(Duration.ofSeconds(1)); // a provider's pace, not a wait for an outcome
            }
        } finally {
            CLOUD.startService("kafka");
        }
        List<String> stillPending = new ArrayList<>(pending);
        Instant retryUntil = Instant.now().plus(DEADLINE);
        while (!stillPending.isEmpty() && Instant.now().isBefore(retryUntil)) {
            for (String retry : List.copyOf(stillPending)) {
                int status = deliver(receiveId, standard, secret, retry, refusalsWithoutRetryAfter);
                if (status == 202 || status == 200) {
                    stillPending.remove(retry);
                    accepted++;
                } else if (status == 503) {
                    refused++;
                } else {
                    other++;
                }
            }
            Pace.sleep(Duration.ofSeconds(1)); // a provider's retry pace
        }

        List<String> onTopic = topicKeys(source, sent);
        FaultReport.of("webhooks kafka stopped 30s (inbound)", sent, onTopic, "answers: accepted " + accepted
                + ", refused 503 " + refused + ", other " + other + "; still refused after the outage "
                + stillPending.size());
        assertThat(other).as("every answer is 2xx or a retryable 503 (none unanswered)").isZero();
        assertThat(refusalsWithoutRetryAfter).as("503 without Retry-After").isEmpty();
        assertThat(Set.copyOf(onTopic)).as("no id on the topic that was not sent").isSubsetOf(Set.copyOf(sent));
    }

    private static int deliver(String receiveId, Signatures standard, String secret, String id, List<String> noRetryAfter) {
        byte[] body = ("{\"id\":\"" + id + "\",\"type\":\"fault.tested\",\"data\":{}}").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = standard.sign(id, Instant.now(), body, SecretSet.of(secret).keys(standard));
        HttpResponse<String> response;
        try {
            response = api.deliver(receiveId, body, headers);
        } catch (RuntimeException unanswered) {
            return -1; // no answer within the client's 30 s: neither accepted nor a retryable refusal
        }
        if (response.statusCode() == 503 && response.headers().firstValue("retry-after").isEmpty()) {
            noRetryAfter.add(id);
        }
        return response.statusCode();
    }

    /** The keys of every record of {@code source} on the inbound topic, read until each sent id is there. */
    private static List<String> topicKeys(String source, List<String> sent) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, CLOUD.endpoints().kafka());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<String> keys = new ArrayList<>();
        String marker = "\"source\":\"" + source + "\"";
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(Cloud.INBOUND_TOPIC));
            Api.pollUntil(DEADLINE, () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (new String(record.value(), StandardCharsets.UTF_8).contains(marker)) {
                        keys.add(record.key());
                    }
                }
                return keys;
            }, got -> Set.copyOf(got).containsAll(sent));
            // A last short read, so a second copy right behind the first is counted too.
            consumer.poll(Duration.ofSeconds(1)).forEach(record -> {
                if (new String(record.value(), StandardCharsets.UTF_8).contains(marker)) {
                    keys.add(record.key());
                }
            });
        }
        return keys;
    }
}
