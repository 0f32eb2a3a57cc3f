package dev.blocks.shortener.store;

import dev.blocks.shortener.domain.Click;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Publishes clicks before the redirect answers, within a short deadline. Lambda freezes the environment as soon as
 * the response is out: a click still in the producer's buffer then would wait for the next invocation (a quiet
 * link's click for minutes) or die with the environment. So the redirect waits for the broker's ack, at most
 * {@code deadline}.
 *
 * <p>A click is handed to one sender thread through a bounded queue; only that thread touches the producer,
 * whose {@code send} can block (waiting for metadata while Kafka is unreachable). The redirect waits only when
 * nothing else is outstanding: while the broker is slow or down the sender is busy, later redirects queue their
 * click and answer at once (counted as deferred), so an outage costs one deadline, not one per request. A full
 * queue drops the click, a failed send is counted: analytics lose events during an outage, redirects lose nothing.
 */
public final class ClickPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClickPublisher.class);

    private final String topic;
    private final Properties settings;
    private final Metrics metrics;
    private final ThreadPoolExecutor sender;
    private final Duration deadline;
    /** Clicks handed over whose send has not completed (acked or failed) yet. */
    private final AtomicInteger outstanding = new AtomicInteger();
    private KafkaProducer<byte[], byte[]> producer; // sender thread only

    public ClickPublisher(String bootstrapServers, String topic, Duration linger, Duration deadline, int queueCapacity,
                          Metrics metrics) {
        this.topic = topic;
        this.metrics = metrics;
        this.deadline = deadline;
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

    /**
     * Hands the click to the sender and waits for the broker's ack, at most the deadline, unless earlier clicks are
     * still outstanding (the broker is slow or down): then it returns at once.
     */
    public void publish(Click click) {
        if (settings.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG).isBlank()) {
            metrics.increment(Metrics.CLICKS_DROPPED); // no stream configured
            return;
        }
        byte[] key = click.code().getBytes(StandardCharsets.UTF_8);
        byte[] value = ClickJson.encode(click);
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean clear = outstanding.getAndIncrement() == 0;
        try {
            sender.execute(() -> send(key, value, done));
        } catch (RejectedExecutionException full) {
            outstanding.decrementAndGet();
            metrics.increment(Metrics.CLICKS_DROPPED);
            return;
        }
        if (!clear) {
            metrics.increment(Metrics.CLICKS_DEFERRED);
            return;
        }
        try {
            done.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            // Still queued: sent after a thaw if the environment lives on, lost with it otherwise.
            metrics.increment(Metrics.CLICKS_DEFERRED);
        } catch (ExecutionException failed) {
            // counted by the sender as failed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    private void send(byte[] key, byte[] value, CompletableFuture<Void> done) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                outstanding.decrementAndGet();
                if (error == null) {
                    metrics.increment(Metrics.CLICKS_SENT);
                    done.complete(null);
                } else {
                    failed(error);
                    done.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            outstanding.decrementAndGet();
            failed(e);
            done.completeExceptionally(e);
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
