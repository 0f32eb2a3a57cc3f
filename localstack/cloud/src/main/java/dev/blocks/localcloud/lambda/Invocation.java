package dev.blocks.localcloud.lambda;

import dev.blocks.localcloud.lambda.FunctionInvoker.FunctionError;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** One invocation on its way through a function: queued, handed to an instance, then answered or failed. */
final class Invocation {

    private final String requestId;
    private final String traceId = TraceIds.next();
    private final byte[] payload;
    private final String clientContext;
    private final String cognitoIdentity;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private volatile long deadlineMillis;
    private volatile long startedNanos;
    private volatile Future<?> timeout;
    private volatile FunctionInstance instance;
    private volatile long logStart = -1;
    private volatile long logEnd = -1;

    /** {@code clientContext} and {@code cognitoIdentity} are the JSON documents Lambda passes on, or null. */
    Invocation(byte[] payload, String clientContext, String cognitoIdentity) {
        this(UUID.randomUUID().toString(), payload, clientContext, cognitoIdentity);
    }

    Invocation(String requestId, byte[] payload, String clientContext, String cognitoIdentity) {
        this.requestId = requestId;
        this.payload = payload;
        this.clientContext = clientContext;
        this.cognitoIdentity = cognitoIdentity;
    }

    String requestId() {
        return requestId;
    }

    String traceId() {
        return traceId;
    }

    byte[] payload() {
        return payload;
    }

    String clientContext() {
        return clientContext;
    }

    String cognitoIdentity() {
        return cognitoIdentity;
    }

    /** Starts the function's timeout: {@code timeout} is the task that fails the invocation at the deadline. */
    void startClock(long timeoutMillis, Future<?> timeout) {
        this.startedNanos = System.nanoTime();
        this.deadlineMillis = System.currentTimeMillis() + timeoutMillis;
        this.timeout = timeout;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** The instance running it, once handed out. */
    FunctionInstance instance() {
        return instance;
    }

    void instance(FunctionInstance value) {
        instance = value;
    }

    /** Where the function's log stood at START, and at REPORT: the bytes between are this invocation's. */
    void logStart(long offset) {
        logStart = offset;
    }

    void logEnd(long offset) {
        logEnd = offset;
    }

    long logStart() {
        return logStart;
    }

    long logEnd() {
        return logEnd;
    }

    /** The invocation ended in time: its timeout task has nothing left to do. */
    void stopClock() {
        Future<?> pending = timeout;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    long deadlineMillis() {
        return deadlineMillis;
    }

    boolean done() {
        return result.isDone();
    }

    /** Returns false when the invocation had already ended (timed out, failed). */
    boolean succeed(byte[] response) {
        return result.complete(response);
    }

    boolean fail(FunctionError error) {
        return result.completeExceptionally(error);
    }

    byte[] await() throws FunctionError {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FunctionError("Runtime.Interrupted", "the caller was interrupted", new byte[0]);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FunctionError error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
