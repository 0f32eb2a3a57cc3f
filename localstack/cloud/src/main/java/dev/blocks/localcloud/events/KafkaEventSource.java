package dev.blocks.localcloud.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.lambda.FunctionInvoker.FunctionError;
import dev.blocks.localcloud.spec.KafkaMappingSpec;
import dev.blocks.localcloud.spec.KafkaMappingSpec.ErrorHandling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A Kafka (MSK or self-managed) event source mapping: one consumer in the mapping's group gathers records into
 * batches, invokes the function and commits the batch's offsets only once the batch is done with. A failing
 * batch blocks the mapping and is retried, with a growing pause: by default until it succeeds, as Lambda does
 * for Kafka; with the error handling of provisioned mode ({@link ErrorHandling}) it is split in two, retried up
 * to a cap, and records it gives up on are discarded (a record of them sent to the on-failure queue) and
 * committed past. The consumer rides out a broker that stops and comes back; offsets it could not commit while
 * the broker was away are committed when it returns.
 */
public final class KafkaEventSource implements EventSource {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSource.class);
    private static final int DEFAULT_BATCH_SIZE = 100;
    private static final int MAX_BATCH_SIZE = 10_000;
    /** Lambda's default batching window for Kafka when none is configured. */
    private static final Duration DEFAULT_WINDOW = Duration.ofMillis(500);
    /** Lambda's limit on a synchronous invocation's payload. */
    private static final long MAX_PAYLOAD_BYTES = 6L * 1024 * 1024;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(10);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** Longer than Lambda's longest function timeout, so a slow invocation does not cost the group membership. */
    private static final int MAX_POLL_INTERVAL_MS = 16 * 60 * 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaMappingSpec mapping;
    private final ErrorHandling errors;
    private final String bootstrapServers;
    private final FunctionInvoker invoker;
    private final String eventSourceArn;
    private final String functionArn;
    private final SqsClient sqs;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private Thread thread;

    // Touched only by the consumer thread.
    private final List<ConsumerRecord<byte[], byte[]>> buffered = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new LinkedHashMap<>();
    private long firstBufferedAt;
    private Duration nextRetry = FIRST_RETRY;
    /** Parts of a failed batch still to be retried, the oldest first; nothing else is delivered meanwhile. */
    private final Deque<Batch> retrying = new ArrayDeque<>();
    private String queueUrl;

    /** For a mapping without an on-failure queue; {@code region} goes into the MSK cluster ARN of the events. */
    public KafkaEventSource(KafkaMappingSpec mapping, String bootstrapServers, FunctionInvoker invoker, String region) {
        this(mapping, bootstrapServers, invoker, region, null);
    }

    /** {@code sqs} writes to the mapping's on-failure queue; null only when the mapping has none. */
    public KafkaEventSource(KafkaMappingSpec mapping, String bootstrapServers, FunctionInvoker invoker, String region,
                            SqsClient sqs) {
        if (mapping.errorHandling().onFailureQueue().isPresent() && sqs == null) {
            throw new IllegalArgumentException("the Kafka mapping of " + mapping.functionName()
                    + " has an on-failure queue but no SQS client");
        }
        this.mapping = mapping;
        this.errors = mapping.errorHandling();
        this.bootstrapServers = bootstrapServers;
        this.invoker = invoker;
        this.sqs = sqs;
        this.eventSourceArn = mapping.selfManaged() ? null
                : "arn:aws:kafka:" + region + ":" + LocalAccount.ID + ":cluster/local-cloud/local-cloud-1";
        this.functionArn = "arn:aws:lambda:" + region + ":" + LocalAccount.ID + ":function:" + mapping.functionName();
    }

    public KafkaMappingSpec mapping() {
        return mapping;
    }

    /** The consumer group: the mapping's own, else one derived from the function and topics. */
    public String groupId() {
        String configured = mapping.consumerGroupId();
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return "lambda-" + mapping.functionName() + "-" + String.join("-", mapping.topics());
    }

    @Override
    public synchronized void start() {
        if (running || stopping.getCount() == 0) {
            throw new IllegalStateException("the Kafka mapping of " + mapping.functionName() + " was already started");
        }
        running = true;
        thread = new Thread(this::consume, "kafka-esm-" + mapping.functionName());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        stopping.countDown();
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    private void consume() {
        Consumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(consumerProperties());
        } catch (KafkaException e) {
            LOG.error("the Kafka mapping of {} could not start", mapping.functionName(), e);
            return;
        }
        try {
            consumer.subscribe(mapping.topics(), new Rebalance(consumer));
            while (running) {
                try {
                    step(consumer);
                } catch (KafkaException e) {
                    LOG.warn("the Kafka mapping of {} hit {}, going on", mapping.functionName(), e.toString());
                    pause(FIRST_RETRY);
                }
            }
            commit(consumer);
        } catch (RuntimeException e) {
            LOG.error("the Kafka mapping of {} stopped", mapping.functionName(), e);
        } finally {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }

    private Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "lambda-esm-" + mapping.functionName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "TRIM_HORIZON".equalsIgnoreCase(mapping.startingPosition()) ? "earliest" : "latest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(batchSize()));
        properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString(MAX_POLL_INTERVAL_MS));
        // A broker that comes back is found again within about a second.
        properties.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        properties.put(ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "1000");
        return properties;
    }

    private int batchSize() {
        return mapping.batchSize() > 0 ? Math.min(mapping.batchSize(), MAX_BATCH_SIZE) : DEFAULT_BATCH_SIZE;
    }

    private Duration window() {
        return mapping.maximumBatchingWindowSeconds() > 0
                ? Duration.ofSeconds(mapping.maximumBatchingWindowSeconds()) : DEFAULT_WINDOW;
    }

    private void step(Consumer<byte[], byte[]> consumer) {
        holdWhileRetrying(consumer);
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            if (buffered.isEmpty()) {
                firstBufferedAt = System.nanoTime();
            }
            buffered.add(record);
        }
        commit(consumer);
        while (running) {
            Batch batch = !retrying.isEmpty() ? retrying.pollFirst()
                    : batchReady() ? new Batch(takeBatch(), 0, 0) : null;
            if (batch == null) {
                return;
            }
            if (!handle(batch)) {
                pause(nextRetry);
                nextRetry = nextRetry.multipliedBy(2).compareTo(LONGEST_RETRY) > 0
                        ? LONGEST_RETRY : nextRetry.multipliedBy(2);
                return;
            }
            nextRetry = FIRST_RETRY;
            commit(consumer);
        }
    }

    /**
     * While a failed batch waits for its retry, its partitions (and the others: one consumer, one batch at a
     * time) are paused, so the consumer stays in its group without reading records it could not hand on.
     */
    private void holdWhileRetrying(Consumer<byte[], byte[]> consumer) {
        if (!retrying.isEmpty()) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private boolean batchReady() {
        if (buffered.isEmpty()) {
            return false;
        }
        if (buffered.size() >= batchSize() || System.nanoTime() - firstBufferedAt >= window().toNanos()) {
            return true;
        }
        long size = 0;
        for (ConsumerRecord<byte[], byte[]> record : buffered) {
            size += KafkaEvent.estimatedSize(record);
        }
        return size >= MAX_PAYLOAD_BYTES;
    }

    /** The oldest buffered records, up to the batch size and the payload limit (at least one record). */
    private List<ConsumerRecord<byte[], byte[]>> takeBatch() {
        int count = 0;
        long size = 0;
        while (count < buffered.size() && count < batchSize()) {
            size += KafkaEvent.estimatedSize(buffered.get(count));
            if (count > 0 && size > MAX_PAYLOAD_BYTES) {
                break;
            }
            count++;
        }
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(buffered.subList(0, count));
        buffered.subList(0, count).clear();
        return batch;
    }

    /**
     * Offers the batch to the function, as Lambda does: records past the maximum age are discarded unsent; a
     * function error (or a timeout) splits the batch in two when bisecting (a split does not use up a retry) and
     * otherwise retries it until the retries run out, when it is discarded; a throttle or an invocation that
     * could not be made is retried without counting. Discarded records go to the on-failure queue, if any, and
     * are committed past like delivered ones.
     *
     * @return false when the batch was put back to be retried after a pause
     */
    private boolean handle(Batch batch) {
        Batch fresh = discardExpired(batch);
        if (fresh.records.isEmpty()) {
            return true;
        }
        byte[] event = event(fresh.records);
        byte[] answer;
        try {
            answer = invoker.invokeAs(UUID.randomUUID().toString(), mapping.functionName(), event);
        } catch (FunctionError e) {
            if (e.throttled()) {
                LOG.info("{} throttled a batch of {} Kafka records ({}); retrying in {} ms", mapping.functionName(),
                        fresh.records.size(), e.throttleReason(), nextRetry.toMillis());
                retrying.addFirst(fresh);
                return false;
            }
            LOG.info("{} failed on a batch of {} Kafka records ({}: {})", mapping.functionName(),
                    fresh.records.size(), e.errorType(), e.getMessage());
            return failed(fresh.invoked(), event.length);
        } catch (RuntimeException e) {
            LOG.warn("{} could not be invoked for a batch of Kafka records; retrying in {} ms",
                    mapping.functionName(), nextRetry.toMillis(), e);
            retrying.addFirst(fresh);
            return false;
        }
        if (!errors.reportBatchItemFailures()) {
            done(fresh.records);
            return true;
        }
        Map<TopicPartition, Long> firstFailed;
        try {
            firstFailed = firstFailedOffsets(answer, fresh.records);
        } catch (IllegalArgumentException invalid) {
            LOG.info("{} answered a batch of {} Kafka records with an invalid batchItemFailures ({}); the whole"
                    + " batch failed", mapping.functionName(), fresh.records.size(), invalid.getMessage());
            return failed(fresh.invoked(), event.length);
        }
        // Lambda goes on from the first failed record of each partition: what precedes it succeeded.
        List<ConsumerRecord<byte[], byte[]>> succeeded = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> again = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : fresh.records) {
            Long first = firstFailed.get(partitionOf(record));
            (first != null && record.offset() >= first ? again : succeeded).add(record);
        }
        done(succeeded);
        if (again.isEmpty()) {
            return true;
        }
        return failed(new Batch(again, fresh.retries, fresh.invocations + 1), event.length);
    }

    /** A batch the function failed (already counted in its invocations): split, retry or discard it. */
    private boolean failed(Batch batch, long payloadSize) {
        if (errors.bisectBatchOnFunctionError() && batch.records.size() > 1) {
            int half = batch.records.size() / 2;
            retrying.addFirst(new Batch(new ArrayList<>(batch.records.subList(half, batch.records.size())),
                    batch.retries, batch.invocations));
            retrying.addFirst(new Batch(new ArrayList<>(batch.records.subList(0, half)), batch.retries,
                    batch.invocations));
            return true;
        }
        int allowed = errors.effectiveRetryAttempts();
        if (allowed == ErrorHandling.INFINITE || batch.retries < allowed) {
            retrying.addFirst(new Batch(batch.records, batch.retries + 1, batch.invocations));
            return false;
        }
        discard(batch.records, KafkaFailureRecord.RETRIES_EXHAUSTED, batch.invocations, payloadSize);
        return true;
    }

    /** The batch without its records older than the maximum age, which are discarded (oldest first per partition). */
    private Batch discardExpired(Batch batch) {
        if (errors.maximumRecordAge().isEmpty()) {
            return batch;
        }
        long oldest = System.currentTimeMillis() - errors.maximumRecordAge().get().toMillis();
        // Only a leading run of each partition: committing past a record requires all before it to be done.
        Set<TopicPartition> fresh = new HashSet<>();
        List<ConsumerRecord<byte[], byte[]>> expired = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> kept = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : batch.records) {
            TopicPartition partition = partitionOf(record);
            if (!fresh.contains(partition) && record.timestamp() >= 0 && record.timestamp() < oldest) {
                expired.add(record);
            } else {
                fresh.add(partition);
                kept.add(record);
            }
        }
        if (expired.isEmpty()) {
            return batch;
        }
        discard(expired, KafkaFailureRecord.RECORD_AGE_EXCEEDED, batch.invocations,
                event(expired).length);
        return new Batch(kept, batch.retries, batch.invocations);
    }

    /** Sends the on-failure record of these records, if the mapping has a destination, and goes on past them. */
    private void discard(List<ConsumerRecord<byte[], byte[]>> records, String condition, int invocations,
                         long payloadSize) {
        Optional<String> queue = errors.onFailureQueue();
        LOG.warn("{} discards {} Kafka record(s) ({}, {} invocation(s)){}", mapping.functionName(), records.size(),
                condition, invocations, queue.map(q -> "; their record goes to queue " + q).orElse(""));
        if (queue.isPresent()) {
            byte[] record = KafkaFailureRecord.of(records, UUID.randomUUID().toString(), functionArn, condition,
                    invocations, eventSourceArn, bootstrapServers, payloadSize);
            try {
                sqs.sendMessage(message -> message.queueUrl(queueUrl(queue.get()))
                        .messageBody(new String(record, StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                queueUrl = null;
                LOG.warn("the on-failure record of {} Kafka record(s) of {} could not be sent to queue {}",
                        records.size(), mapping.functionName(), queue.get(), e);
            }
        }
        done(records);
    }

    private String queueUrl(String queue) {
        if (queueUrl == null) {
            queueUrl = sqs.getQueueUrl(request -> request.queueName(queue)).queueUrl();
        }
        return queueUrl;
    }

    /** Records handled: their offsets are committed (in order, as batches are handled one at a time). */
    private void done(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            uncommitted.put(partitionOf(record), new OffsetAndMetadata(record.offset() + 1, record.leaderEpoch(), ""));
        }
    }

    /**
     * The lowest offset the function's answer names as failed, per partition; empty when the answer reports no
     * failure (nothing, null, no or an empty batchItemFailures). Throws {@link IllegalArgumentException} for
     * anything Lambda cannot trust, which fails the whole batch: not a JSON object, an item without a
     * {@code "<topic>-<partition>"} and a numeric offset, or one naming no record of the batch.
     */
    private static Map<TopicPartition, Long> firstFailedOffsets(byte[] answer,
                                                                List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        if (answer == null || answer.length == 0) {
            return first;
        }
        JsonNode root;
        try {
            root = JSON.readTree(answer);
        } catch (IOException e) {
            throw new IllegalArgumentException("the answer is not JSON");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return first;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("the answer is not a JSON object");
        }
        JsonNode failures = root.get("batchItemFailures");
        if (failures == null || failures.isNull()) {
            return first;
        }
        if (!failures.isArray()) {
            throw new IllegalArgumentException("batchItemFailures is not a list");
        }
        Set<String> present = new HashSet<>();
        records.forEach(r -> present.add(r.topic() + "-" + r.partition() + "@" + r.offset()));
        for (JsonNode failure : failures) {
            JsonNode id = failure.path("itemIdentifier");
            String partition = id.path("partition").asText("");
            if (!id.path("offset").canConvertToLong() || !present.contains(partition + "@" + id.path("offset").asLong())) {
                throw new IllegalArgumentException("itemIdentifier " + id + " names no record of the batch");
            }
            int dash = partition.lastIndexOf('-');
            first.merge(new TopicPartition(partition.substring(0, dash), Integer.parseInt(partition.substring(dash + 1))),
                    id.path("offset").asLong(), Math::min);
        }
        return first;
    }

    private byte[] event(List<ConsumerRecord<byte[], byte[]>> records) {
        return KafkaEvent.of(records, mapping.selfManaged() ? "SelfManagedKafka" : "aws:kafka", eventSourceArn,
                bootstrapServers);
    }

    private static TopicPartition partitionOf(ConsumerRecord<byte[], byte[]> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    /**
     * Records handed to the function together: {@code retries} counts the failed attempts that used up the
     * mapping's retries, {@code invocations} every run of the function on these records.
     */
    private record Batch(List<ConsumerRecord<byte[], byte[]>> records, int retries, int invocations) {
        Batch invoked() {
            return new Batch(records, retries, invocations + 1);
        }
    }

    private void commit(Consumer<byte[], byte[]> consumer) {
        if (uncommitted.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(uncommitted, COMMIT_TIMEOUT);
            uncommitted.clear();
        } catch (RetriableException e) {
            LOG.debug("offsets of {} not committed yet ({}), trying again", mapping.functionName(), e.toString());
        } catch (CommitFailedException e) {
            // The group moved on without this consumer: its new owner reads from the last committed offsets.
            LOG.warn("offsets of {} could not be committed after a rebalance; those records will be delivered again",
                    mapping.functionName());
            uncommitted.clear();
        }
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Keeps the buffer and the pending commits to the partitions this consumer still owns. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final Consumer<byte[], byte[]> consumer;

        Rebalance(Consumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit(consumer);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }

        private void forget(Collection<TopicPartition> partitions) {
            buffered.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            // The partitions' new owner reads them again from their committed offsets.
            List<Batch> kept = new ArrayList<>();
            for (Batch batch : retrying) {
                List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(batch.records());
                records.removeIf(r -> partitions.contains(partitionOf(r)));
                if (!records.isEmpty()) {
                    kept.add(new Batch(records, batch.retries(), batch.invocations()));
                }
            }
            retrying.clear();
            retrying.addAll(kept);
            uncommitted.keySet().removeAll(partitions);
            if (!buffered.isEmpty()) {
                firstBufferedAt = System.nanoTime();
            }
        }
    }
}
