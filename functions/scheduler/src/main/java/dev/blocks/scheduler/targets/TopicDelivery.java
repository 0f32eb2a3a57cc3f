package dev.blocks.scheduler.targets;

import dev.blocks.kit.kafka.KafkaAuth;
import dev.blocks.scheduler.domain.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka targets: the payload is the record value, keyed by job id (a job's runs stay in order on one partition),
 * with the run's identity in headers. The producer is created on first use and kept for the process.
 */
public final class TopicDelivery implements AutoCloseable {

    private final String bootstrapServers;
    private final Duration timeout;
    private volatile Producer<String, byte[]> producer;

    public TopicDelivery(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    void deliver(Target.Topic target, Delivery delivery) throws DeliveryFailed {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new DeliveryFailed("Kafka is not configured for this deployment");
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(target.topic(), delivery.jobId(),
                delivery.payload().getBytes(StandardCharsets.UTF_8));
        record.headers().add("idempotency-key", delivery.idempotencyKey().getBytes(StandardCharsets.UTF_8));
        record.headers().add("job-id", delivery.jobId().getBytes(StandardCharsets.UTF_8));
        record.headers().add("scheduled-at", delivery.scheduledAt().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add("attempt", Integer.toString(delivery.attempt()).getBytes(StandardCharsets.UTF_8));
        try {
            producer().send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new DeliveryFailed("Kafka " + target.topic() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new DeliveryFailed("Kafka " + target.topic() + ": no acknowledgement within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailed("interrupted while sending to Kafka");
        } catch (RuntimeException e) {
            throw new DeliveryFailed("Kafka " + target.topic() + ": " + e.getMessage(), e);
        }
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> current = producer;
        if (current == null) {
            synchronized (this) {
                current = producer;
                if (current == null) {
                    Properties config = new Properties();
                    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    config.put(ProducerConfig.ACKS_CONFIG, "all");
                    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
                    config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
                    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
                    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
                    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis() + 1000));
                    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
                    KafkaAuth.configured().applyTo(config); // MSK IAM on aws (BLOCKS_KAFKA_AUTH), nothing otherwise
                    current = new KafkaProducer<>(config);
                    producer = current;
                }
            }
        }
        return current;
    }

    @Override
    public void close() {
        Producer<String, byte[]> current = producer;
        if (current != null) {
            current.close(Duration.ofSeconds(1));
        }
    }
}
