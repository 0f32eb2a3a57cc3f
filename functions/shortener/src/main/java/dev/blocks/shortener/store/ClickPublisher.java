package dev.blocks.shortener.store;

import dev.blocks.kit.kafka.KafkaAuth;
import dev.blocks.kit.metrics.Metrics;
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
 * whose {@code send} can block (waiting for metadata while Kafka is unreachable). While Kafka is in doubt — a click
 * is still unacknowledged, or a send failed less than {@code retryAfter} ago — a redirect does not queue its click
 * behind it but spools it ({@link ClickSpool}: one SQS SendMessage, before the response), and clicks-replay
 * publishes it once the broker is back. A click whose send fails after the redirect stopped waiting is spooled
 * by a background thread (at the environment's next thaw, if it was frozen meanwhile). A click is lost only when
 * SQS refuses it too, or with an environment that dies holding one unacknowledged click; that is counted as
 * {@link MetricNames#CLICKS_FAILED}. Without a spool (none configured) clicks queue behind the broker as deferred and
 * a failed send is lost.
 */
public final class ClickPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClickPublisher.class);

    /** How a redirect that stopped waiting marks its click's future: a failure after that is spooled in the background. */
    private static final Exception ABANDONED = new Exception("the redirect stopped waiting", null, false, false) {};

    private final String topic;
    private final Properties settings;
    private final Metrics metrics;
    private final ThreadPoolExecutor sender;
    private final Duration deadline;
    private final ClickSpool spool;
    private final long retryAfterNanos;
    /** Spools clicks whose send failed after their redirect answered (one thread: SQS calls block). */
    private final ThreadPoolExecutor spooler;
    /** Clicks handed over whose send has not completed (acked or failed) yet. */
    private final AtomicInteger outstanding = new AtomicInteger();
    /** When a send last failed (System.nanoTime), 0 if none has. */
    private volatile long lastFailure;
    private KafkaProducer<byte[], byte[]> producer; // sender thread only

    /**
     * {@code spool} may be null (none configured); {@code retryAfter} is how long after a failed send clicks go to
     * the spool without trying Kafka first.
     */
    public ClickPublisher(String bootstrapServers, String topic, Duration linger, Duration deadline, int queueCapacity,
                          ClickSpool spool, Duration retryAfter, Metrics metrics) {
        this.topic = topic;
        this.metrics = metrics;
        this.deadline = deadline;
        this.spool = spool;
        this.retryAfterNanos = retryAfter.toNanos();
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
        KafkaAuth.configured().applyTo(settings); // MSK IAM on aws (BLOCKS_KAFKA_AUTH), nothing otherwise
        this.sender = singleThread("click-publisher", queueCapacity);
        this.spooler = singleThread("click-spooler", queueCapacity);
    }

    private static ThreadPoolExecutor singleThread(String name, int queueCapacity) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
                runnable -> {
                    Thread thread = new Thread(runnable, name);
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Hands the click to the sender and waits for the broker's ack, at most the deadline; spools it instead while
     * Kafka is in doubt, or when its send fails within the deadline.
     */
    public void publish(Click click) {
        if (settings.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG).isBlank()) {
            metrics.increment(MetricNames.CLICKS_DROPPED); // no stream configured
            return;
        }
        if (spool != null && kafkaInDoubt()) {
            spoolNow(click);
            return;
        }
        byte[] key = click.code().getBytes(StandardCharsets.UTF_8);
        byte[] value = ClickJson.encode(click);
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean clear = outstanding.getAndIncrement() == 0;
        if (!clear) {
            done.completeExceptionally(ABANDONED); // nobody waits for it
        }
        try {
            sender.execute(() -> send(key, value, click, done));
        } catch (RejectedExecutionException full) {
            outstanding.decrementAndGet();
            if (spool != null) {
                spoolNow(click);
            } else {
                metrics.increment(MetricNames.CLICKS_DROPPED);
            }
            return;
        }
        if (!clear) {
            metrics.increment(MetricNames.CLICKS_DEFERRED);
            return;
        }
        try {
            done.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            if (done.completeExceptionally(ABANDONED)) {
                // Still with the producer: acked or spooled later, when the environment runs again.
                metrics.increment(MetricNames.CLICKS_DEFERRED);
            } else {
                settled(done, click); // the outcome came in just now
            }
        } catch (ExecutionException failed) {
            settled(done, click);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a click is unacknowledged, or a send failed within retryAfter: the next one goes to the spool. */
    private boolean kafkaInDoubt() {
        long failed = lastFailure;
        return outstanding.get() > 0 || (failed != 0 && System.nanoTime() - failed < retryAfterNanos);
    }

    /** A redirect's click whose send completed while the redirect still waited: spooled now if it failed. */
    private void settled(CompletableFuture<Void> done, Click click) {
        if (done.isCompletedExceptionally()) {
            failedToSend(click, true);
        }
    }

    /** A click Kafka did not take: spooled (by this thread when {@code now}, else in the background) or lost. */
    private void failedToSend(Click click, boolean now) {
        if (spool == null) {
            metrics.increment(MetricNames.CLICKS_FAILED);
        } else if (now) {
            spoolNow(click);
        } else {
            try {
                spooler.execute(() -> spoolNow(click));
            } catch (RejectedExecutionException full) {
                metrics.increment(MetricNames.CLICKS_FAILED);
            }
        }
    }

    private void spoolNow(Click click) {
        try {
            spool.spool(click);
            metrics.increment(MetricNames.CLICKS_SPOOLED);
        } catch (RuntimeException e) {
            if (metrics.total(MetricNames.CLICKS_FAILED) == 0) {
                LOG.warnf("a click could neither be published nor spooled (%s); redirects go on, the loss is counted"
                        + " as %s", e, MetricNames.CLICKS_FAILED);
            }
            metrics.increment(MetricNames.CLICKS_FAILED);
        }
    }

    /**
     * Publishes a spooled click's event as it is (its spool id included) and completes when the broker acked it:
     * what clicks-replay does with each message of the spool.
     */
    public CompletableFuture<Void> forward(String code, byte[] event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            sender.execute(() -> {
                try {
                    producer().send(new ProducerRecord<>(topic, code.getBytes(StandardCharsets.UTF_8), event),
                            (metadata, error) -> {
                                if (error == null) {
                                    acked.complete(null);
                                } else {
                                    acked.completeExceptionally(error);
                                }
                            });
                } catch (RuntimeException e) {
                    acked.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException full) {
            acked.completeExceptionally(full);
        }
        return acked;
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

    private void send(byte[] key, byte[] value, Click click, CompletableFuture<Void> done) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                outstanding.decrementAndGet();
                if (error == null) {
                    metrics.increment(MetricNames.CLICKS_SENT);
                    done.complete(null);
                } else {
                    kafkaFailed(error);
                    if (!done.completeExceptionally(error)) {
                        failedToSend(click, false); // its redirect answered already
                    }
                }
            });
        } catch (RuntimeException e) {
            outstanding.decrementAndGet();
            kafkaFailed(e);
            if (!done.completeExceptionally(e)) {
                failedToSend(click, false);
            }
        }
    }

    private void kafkaFailed(Exception error) {
        if (lastFailure == 0) {
            LOG.warnf("click events cannot be published (%s); redirects go on, clicks go to the spool if one is"
                    + " configured", error);
        }
        lastFailure = System.nanoTime() | 1; // never 0, which means "no failure yet"
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
        spooler.shutdown();
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
