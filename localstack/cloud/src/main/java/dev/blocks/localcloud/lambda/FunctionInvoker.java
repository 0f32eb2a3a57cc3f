package dev.blocks.localcloud.lambda;

/**
 * Invokes a function of the local Lambda service synchronously, as an event source mapping, the HTTP gateway,
 * a schedule or the Invoke API does. The payload and the result are the raw JSON bytes Lambda carries.
 */
public interface FunctionInvoker {

    /**
     * Runs one invocation and returns the function's response payload.
     *
     * @throws FunctionError when the function reported an error (its {@code /error} payload), timed out, or
     *                       its process died during the invocation
     */
    byte[] invoke(String functionName, byte[] payload) throws FunctionError;

    /**
     * As {@link #invoke}, under a request id of the caller's: Lambda's retries of an asynchronous event run under
     * the event's request id, so a function can recognise a retry by {@code context.getAwsRequestId()}.
     */
    default byte[] invokeAs(String requestId, String functionName, byte[] payload) throws FunctionError {
        return invoke(functionName, payload);
    }

    /**
     * Queues an asynchronous invocation (invocation type Event), as the Invoke API, EventBridge and Lambda's own
     * destinations do; the local Lambda service retries it and delivers its records as Lambda does (see
     * {@code AsyncInvocations}). This default, for stand-ins of the service in tests, runs it once in the
     * background without retries.
     */
    default Queued invokeAsync(String functionName, byte[] payload) {
        java.util.concurrent.CompletableFuture<Void> run = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                invoke(functionName, payload);
            } catch (FunctionError e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, task -> {
            // A thread per event: a slow run never holds up the next one, as Lambda's concurrency would not.
            Thread thread = new Thread(task, "invoke-async-" + functionName);
            thread.setDaemon(true);
            thread.start();
        });
        return new Queued(java.util.UUID.randomUUID().toString(), run);
    }

    /**
     * An accepted asynchronous invocation: {@code requestId} is the one Lambda answers the Invoke call with and
     * names in the invocation's records; {@code firstAttempt} ends when the function first ran the event
     * (exceptionally with its {@link FunctionError} if that run failed) or when the event was dropped unrun.
     */
    record Queued(String requestId, java.util.concurrent.CompletableFuture<Void> firstAttempt) {}

    /**
     * An invocation that ended in a function error; {@code payload} is the error document Lambda returns. A
     * throttled invocation ({@link #throttled()}) never reached the function: Lambda answers it with HTTP 429
     * {@code TooManyRequestsException} instead of a function error.
     */
    final class FunctionError extends Exception {
        /** The error type of a throttled invocation, as Lambda's Invoke names it. */
        public static final String TOO_MANY_REQUESTS = "TooManyRequestsException";

        private final String errorType;
        private final byte[] payload;
        private final String throttleReason;
        private volatile String logTail;

        public FunctionError(String errorType, String message, byte[] payload) {
            this(errorType, message, payload, null);
        }

        private FunctionError(String errorType, String message, byte[] payload, String throttleReason) {
            super(message);
            this.errorType = errorType;
            this.payload = payload;
            this.throttleReason = throttleReason;
        }

        /** {@code reason}: ReservedFunctionConcurrentInvocationLimitExceeded or ConcurrentInvocationLimitExceeded. */
        public static FunctionError throttled(String reason) {
            String message = "Rate Exceeded.";
            String document = "{\"Reason\":\"" + reason + "\",\"Type\":\"User\",\"message\":\"" + message + "\"}";
            return new FunctionError(TOO_MANY_REQUESTS, message,
                    document.getBytes(java.nio.charset.StandardCharsets.UTF_8), reason);
        }

        public boolean throttled() {
            return throttleReason != null;
        }

        /** Why Lambda throttled it (the {@code Reason} of the 429), or null for a function error. */
        public String throttleReason() {
            return throttleReason;
        }

        /** The end of the function's log for this invocation, base64-encoded; null when unknown. */
        public String logTail() {
            return logTail;
        }

        void logTail(String value) {
            logTail = value;
        }

        public String errorType() {
            return errorType;
        }

        public byte[] payload() {
            return payload;
        }
    }
}
