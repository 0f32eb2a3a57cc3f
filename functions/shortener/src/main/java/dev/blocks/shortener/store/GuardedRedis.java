package dev.blocks.shortener.store;

import dev.blocks.kit.breaker.CircuitBreaker;
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
 * Redis with a deadline on every call and the kit's breaker, opened by one failure: calls are then refused at once
 * for {@code retryAfter}, so that an outage costs each request nothing instead of a timeout, and one call probes
 * before the rest go through again. The outage is logged when it starts and when it ends, not per request; each
 * refused or failed call is counted.
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
    private final Duration retryAfter;
    private final Metrics metrics;
    private final CircuitBreaker breaker;

    /**
     * @param timeout        deadline of a call on an open connection
     * @param connectTimeout deadline of calls until one succeeded: the first also opens the connection
     */
    public GuardedRedis(Redis redis, Duration timeout, Duration connectTimeout, Duration retryAfter, Metrics metrics) {
        this.redis = redis;
        this.timeoutMillis = timeout.toMillis();
        this.connectTimeoutMillis = Math.max(timeout.toMillis(), connectTimeout.toMillis());
        this.retryAfter = retryAfter;
        this.metrics = metrics;
        this.breaker = new CircuitBreaker(1, retryAfter, System::nanoTime, this::changed);
    }

    /** Sends a command and waits for its answer (null for a nil reply). */
    public Response call(Request request) {
        refuseWhileOpen();
        try {
            Response response = redis.send(request).toCompletionStage().toCompletableFuture()
                    .get(deadline(), TimeUnit.MILLISECONDS);
            succeeded();
            return response;
        } catch (ExecutionException | TimeoutException e) {
            throw failed(e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(e);
        }
    }

    /** Sends several commands in one round trip and waits for all answers. */
    public List<Response> batch(List<Request> requests) {
        refuseWhileOpen();
        try {
            List<Response> responses = redis.batch(requests).toCompletionStage().toCompletableFuture()
                    .get(deadline(), TimeUnit.MILLISECONDS);
            succeeded();
            return responses;
        } catch (ExecutionException | TimeoutException e) {
            throw failed(e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(e);
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
        if (!breaker.tryAcquire()) {
            return;
        }
        redis.send(request).onComplete(result -> {
            if (result.failed()) {
                failed(result.cause());
            } else {
                breaker.onSuccess();
            }
        });
    }

    private void refuseWhileOpen() {
        if (!breaker.tryAcquire()) {
            metrics.increment(MetricNames.REDIS_UNAVAILABLE);
            throw new Unavailable("Redis is unavailable (waiting before the next try)", null);
        }
    }

    private long deadline() {
        return connected ? timeoutMillis : connectTimeoutMillis;
    }

    private void succeeded() {
        connected = true;
        breaker.onSuccess();
    }

    private Unavailable failed(Throwable cause) {
        breaker.onFailure(cause);
        metrics.increment(MetricNames.REDIS_UNAVAILABLE);
        return new Unavailable("Redis is unavailable: " + cause, cause);
    }

    /** The outage's start and end, once each (a failed probe does not log it again). */
    private void changed(CircuitBreaker.State from, CircuitBreaker.State to, String reason) {
        if (from == CircuitBreaker.State.CLOSED) {
            LOG.warnf("Redis unavailable (%s); going without it, retrying every %d ms", reason, retryAfter.toMillis());
        } else if (to == CircuitBreaker.State.CLOSED) {
            LOG.info("Redis answers again");
        }
    }
}
