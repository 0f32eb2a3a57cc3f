package dev.blocks.webhooks.store;

import dev.blocks.kit.kafka.KafkaAuth;
import dev.blocks.kit.sqs.QueueUrls;
import dev.blocks.webhooks.domain.Destination;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Publishes a verified inbound event to its source's destination, and returns only once the destination has it
 * (SQS answered, or the Kafka broker acknowledged): the sender gets its 2xx after that, never before, so an
 * event is never acknowledged and then lost. The Kafka producer is made on first use and kept for the instance.
 */
public final class InboundPublisher implements AutoCloseable {

    private final SqsClient sqs;
    private final QueueUrls urls;
    private final String kafkaBootstrapServers;
    private final Duration timeout;
    private volatile KafkaProducer<String, byte[]> producer;

    public InboundPublisher(SqsClient sqs, QueueUrls urls, String kafkaBootstrapServers, Duration timeout) {
        this.sqs = sqs;
        this.urls = urls;
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.timeout = timeout;
    }

    /** {@code owner} and {@code source} name the event's source as its owner knows it (SQS attributes beside the body). */
    public void publish(Destination destination, String owner, String source, String eventId, byte[] envelope) throws Exception {
        if (destination.kind() == Destination.Kind.SQS) {
            sqs.sendMessage(b -> b.queueUrl(urls.of(destination.name()))
                    .messageBody(new String(envelope, StandardCharsets.UTF_8))
                    .messageAttributes(java.util.Map.of(
                            "owner", MessageAttributeValue.builder().dataType("String").stringValue(owner).build(),
                            "source", MessageAttributeValue.builder().dataType("String").stringValue(source).build(),
                            "eventId", MessageAttributeValue.builder().dataType("String").stringValue(eventId).build())));
            return;
        }
        try {
            producer().send(new ProducerRecord<>(destination.name(), eventId, envelope)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("Kafka did not acknowledge within " + timeout.toMillis() + " ms");
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                p = producer;
                if (p == null) {
                    if (kafkaBootstrapServers == null || kafkaBootstrapServers.isBlank()) {
                        throw new IllegalStateException("a Kafka destination needs blocks.webhooks.kafka.bootstrap-servers");
                    }
                    Properties config = new Properties();
                    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers);
                    config.put(ProducerConfig.ACKS_CONFIG, "all");
                    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
                    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
                    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
                    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
                    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
                    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
                    KafkaAuth.configured().applyTo(config); // MSK IAM on aws (BLOCKS_KAFKA_AUTH), nothing otherwise
                    producer = p = new KafkaProducer<>(config);
                }
            }
        }
        return p;
    }

    @Override
    public void close() {
        KafkaProducer<String, byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(1));
        }
    }
}
