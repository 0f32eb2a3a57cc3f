package dev.blocks.shortener.store;

import dev.blocks.shortener.domain.Click;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Publishes clicks without ever making a redirect wait. A click is handed to one sender thread through a bounded
 * queue; only that thread touches the producer, whose {@code send} can block (waiting for metadata while Kafka
 * is unreachable). A full queue drops the click, a failed send is counted: analytics lose events during an
 * outage, redirects lose nothing.
 */
public final class ClickPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClickPublisher.class);

    private final String topic;
    private final Properties settings;
    private final Metrics metrics;
    private final ThreadPoolExecutor sender;
    private KafkaProducer<byte[], byte[]> producer; // sender thread only

    public ClickPublisher(String bootstrapServers, String topic, Duration linger, int queueCapacity, Metrics metrics) {
        this.topic = topic;
        this.metrics = metrics;
        this.settings = new Properties();
        settings.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "shortener-clicks",
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger.toMillis()),
                // Only the sender thread ever blocks; 5 s covers a slow first metadata fetch, and a dead broker then
                // costs queued clicks (dropped when the queue is full), never a redirect.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(3000 + linger.toMillis()),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000"));
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
                runnable -> {
                    Thread thread = new Thread(runnable, "click-publisher");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Queues the click and returns at once. */
    public void publish(Click click) {
        if (settings.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG).isBlank()) {
            metrics.increment(Metrics.CLICKS_DROPPED); // no stream configured
            return;
        }
        byte[] key = click.code().getBytes(StandardCharsets.UTF_8);
        byte[] value = ClickJson.encode(click);
        try {
            sender.execute(() -> send(key, value));
        } catch (RejectedExecutionException full) {
            metrics.increment(Metrics.CLICKS_DROPPED);
        }
    }

    /** Connects and fetches the topic's metadata on the sender thread, so that the first click is not the one to wait. */
    public void warmUp() {
        if (settings.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG).isBlank()) {
            return;
        }
        try {
            sender.execute(() -> {
                try {
                    producer().partitionsFor(topic);
                } catch (RuntimeException e) {
                    LOG.debugf("click stream not reachable yet: %s", e.toString());
                }
            });
        } catch (RejectedExecutionException full) {
            // clicks are already queued: they warm it up themselves
        }
    }

    private void send(byte[] key, byte[] value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error == null) {
                    metrics.increment(Metrics.CLICKS_SENT);
                } else {
                    failed(error);
                }
            });
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(Exception error) {
        if (metrics.total(Metrics.CLICKS_FAILED) == 0) {
            LOG.warnf("click events cannot be published (%s); redirects go on, the loss is counted as %s", error,
                    Metrics.CLICKS_FAILED);
        }
        metrics.increment(Metrics.CLICKS_FAILED);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Waits up to {@code timeout} for queued clicks to be handed over and sent, e.g. before a shutdown. */
    public void flush(Duration timeout) {
        try {
            sender.submit(() -> {
                if (producer != null) {
                    producer.flush();
                }
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debugf("click flush did not finish: %s", e.toString());
        }
    }

    @Override
    public void close() {
        sender.getQueue().clear();
        try {
            sender.execute(() -> {
                if (producer != null) {
                    producer.close(Duration.ofSeconds(2));
                }
            });
        } catch (RejectedExecutionException alreadyClosed) {
            // nothing left to close
        }
        sender.shutdown();
        try {
            sender.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
