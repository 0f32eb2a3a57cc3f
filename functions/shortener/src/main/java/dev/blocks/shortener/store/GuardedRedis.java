package dev.blocks.shortener.store;

import dev.blocks.kit.metrics.Metrics;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Redis with a deadline on every call and a breaker: after a failure, calls are refused at once for
 * {@code retryAfter}, so that an outage costs each request nothing instead of a timeout. The outage is logged
 * when it starts and when it ends, not per request; each refused or failed call is counted.
 */
public final class GuardedRedis {

    private static final Logger LOG = Logger.getLogger(GuardedRedis.class);

    /** Redis did not answer (down, refused, timed out, or the breaker is open). */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final Redis redis;
    private final long timeoutMillis;
    private final long connectTimeoutMillis;
    private volatile boolean connected;
    private final long retryAfterNanos;
    private final Metrics metrics;
    private volatile long openUntil;
    private volatile boolean down;

    /**
     * @param timeout        deadline of a call on an open connection
     * @param connectTimeout deadline of calls until one succeeded: the first also opens the connection
     */
    public GuardedRedis(Redis redis, Duration timeout, Duration connectTimeout, Duration retryAfter, Metrics metrics) {
        this.redis = redis;
        this.timeoutMillis = timeout.toMillis();
        this.connectTimeoutMillis = Math.max(timeout.toMillis(), connectTimeout.toMillis());
        this.retryAfterNanos = retryAfter.toNanos();
        this.metrics = metrics;
        this.openUntil = System.nanoTime(); // nanoTime may be negative: 0 is not "long ago"
    }

    /** Sends a command and waits for its answer (null for a nil reply). */
    public Response call(Request request) {
        refuseWhileOpen();
        try {
            Response response = redis.send(request).toCompletionStage().toCompletableFuture()
                    .get(deadline(), TimeUnit.MILLISECONDS);
            closed();
            return response;
        } catch (ExecutionException | TimeoutException e) {
            throw opened(e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw opened(e);
        }
    }

    /** Sends several commands in one round trip and waits for all answers. */
    public List<Response> batch(List<Request> requests) {
        refuseWhileOpen();
        try {
            List<Response> responses = redis.batch(requests).toCompletionStage().toCompletableFuture()
                    .get(deadline(), TimeUnit.MILLISECONDS);
            closed();
            return responses;
        } catch (ExecutionException | TimeoutException e) {
            throw opened(e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw opened(e);
        }
    }

    /**
     * Opens the connection ahead of the first request (a PING, not waited on): called while the function
     * initialises, so that the first redirect does not pay for the TCP handshake.
     */
    public void warmUp() {
        redis.send(Request.cmd(io.vertx.redis.client.Command.PING)).onComplete(result -> {
            if (result.succeeded()) {
                connected = true;
            }
        });
    }

    /** Sends a command without waiting: for cache fills after the answer has gone out. */
    public void fire(Request request) {
        if (System.nanoTime() - openUntil < 0) {
            return;
        }
        redis.send(request).onComplete(result -> {
            if (result.failed()) {
                opened(result.cause());
            }
        });
    }

    /** Whether calls are currently attempted (the breaker is closed or its wait is over). */
    public boolean available() {
        return System.nanoTime() - openUntil >= 0;
    }

    private void refuseWhileOpen() {
        if (System.nanoTime() - openUntil < 0) {
            metrics.increment(MetricNames.REDIS_UNAVAILABLE);
            throw new Unavailable("Redis is unavailable (waiting before the next try)", null);
        }
    }

    private long deadline() {
        return connected ? timeoutMillis : connectTimeoutMillis;
    }

    private void closed() {
        connected = true;
        if (down) {
            down = false;
            LOG.info("Redis answers again");
        }
    }

    private Unavailable opened(Throwable cause) {
        openUntil = System.nanoTime() + retryAfterNanos;
        metrics.increment(MetricNames.REDIS_UNAVAILABLE);
        if (!down) {
            down = true;
            LOG.warnf("Redis unavailable (%s); going without it, retrying every %d ms", cause,
                    retryAfterNanos / 1_000_000);
        }
        return new Unavailable("Redis is unavailable: " + cause, cause);
    }
}
