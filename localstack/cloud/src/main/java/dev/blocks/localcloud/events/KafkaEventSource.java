package dev.blocks.localcloud.events;

import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.lambda.FunctionInvoker.FunctionError;
import dev.blocks.localcloud.spec.KafkaMappingSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

/**
 * A Kafka (MSK or self-managed) event source mapping: one consumer in the mapping's group gathers records into
 * batches, invokes the function and commits the batch's offsets only once the invocation succeeded. A failing
 * batch blocks its partitions: it is read again and retried, with a growing pause, until it succeeds, as Lambda
 * does for Kafka. The consumer rides out a broker that stops and comes back; offsets it could not commit while
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

    private final KafkaMappingSpec mapping;
    private final String bootstrapServers;
    private final FunctionInvoker invoker;
    private final String eventSourceArn;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private Thread thread;

    // Touched only by the consumer thread.
    private final List<ConsumerRecord<byte[], byte[]>> buffered = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new LinkedHashMap<>();
    private long firstBufferedAt;
    private Duration nextRetry = FIRST_RETRY;

    /** {@code region} goes into the MSK cluster ARN of the events. */
    public KafkaEventSource(KafkaMappingSpec mapping, String bootstrapServers, FunctionInvoker invoker, String region) {
        this.mapping = mapping;
        this.bootstrapServers = bootstrapServers;
        this.invoker = invoker;
        this.eventSourceArn = mapping.selfManaged() ? null
                : "arn:aws:kafka:" + region + ":" + LocalAccount.ID + ":cluster/local-cloud/local-cloud-1";
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
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            if (buffered.isEmpty()) {
                firstBufferedAt = System.nanoTime();
            }
            buffered.add(record);
        }
        commit(consumer);
        while (running && batchReady()) {
            List<ConsumerRecord<byte[], byte[]>> batch = takeBatch();
            if (!deliver(batch)) {
                rewind(consumer, batch);
                pause(nextRetry);
                nextRetry = nextRetry.multipliedBy(2).compareTo(LONGEST_RETRY) > 0
                        ? LONGEST_RETRY : nextRetry.multipliedBy(2);
                return;
            }
            nextRetry = FIRST_RETRY;
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                uncommitted.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1, record.leaderEpoch(), ""));
            }
            commit(consumer);
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

    private boolean deliver(List<ConsumerRecord<byte[], byte[]>> batch) {
        byte[] event = KafkaEvent.of(batch, mapping.selfManaged() ? "SelfManagedKafka" : "aws:kafka",
                eventSourceArn, bootstrapServers);
        try {
            invoker.invoke(mapping.functionName(), event);
            return true;
        } catch (FunctionError e) {
            LOG.info("{} failed on a batch of {} Kafka records ({}: {}); retrying in {} ms", mapping.functionName(),
                    batch.size(), e.errorType(), e.getMessage(), nextRetry.toMillis());
        } catch (RuntimeException e) {
            LOG.warn("{} could not be invoked for a batch of Kafka records; retrying in {} ms",
                    mapping.functionName(), nextRetry.toMillis(), e);
        }
        return false;
    }

    /** Puts every partition of the failed batch and of what was buffered behind it back to its first record. */
    private void rewind(Consumer<byte[], byte[]> consumer, List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, Long> firstOffsets = new LinkedHashMap<>();
        List<ConsumerRecord<byte[], byte[]>> unread = new ArrayList<>(batch);
        unread.addAll(buffered);
        for (ConsumerRecord<byte[], byte[]> record : unread) {
            firstOffsets.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
        }
        buffered.clear();
        firstOffsets.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
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
            uncommitted.keySet().removeAll(partitions);
            if (!buffered.isEmpty()) {
                firstBufferedAt = System.nanoTime();
            }
        }
    }
}
