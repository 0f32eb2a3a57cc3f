package dev.blocks.localcloud.spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A Lambda function. {@code artifact} is the deployment zip (Quarkus {@code function.zip}): a JVM build is run
 * through AWS's Runtime Interface Client with {@code handler}, a native build's {@code bootstrap} runs itself.
 * {@code reservedConcurrency} is Terraform's {@code reserved_concurrent_executions}: -1 means none reserved (the
 * account's limit applies), 0 means the function is throttled entirely, as on AWS. {@code async} is how Lambda
 * handles its asynchronous invocations (retries, event age, destinations, dead-letter queue).
 */
public record FunctionSpec(
        String name,
        String runtime,
        String handler,
        Path artifact,
        Map<String, String> environment,
        int memoryMb,
        int timeoutSeconds,
        int reservedConcurrency,
        AsyncInvokeConfig async) {

    /** A function with Lambda's defaults for asynchronous invocations (no destinations, no dead-letter queue). */
    public FunctionSpec(String name, String runtime, String handler, Path artifact, Map<String, String> environment,
                        int memoryMb, int timeoutSeconds, int reservedConcurrency) {
        this(name, runtime, handler, artifact, environment, memoryMb, timeoutSeconds, reservedConcurrency,
                AsyncInvokeConfig.DEFAULTS);
    }

    /**
     * Terraform's {@code aws_lambda_function_event_invoke_config} of the function together with its
     * {@code dead_letter_config}.
     *
     * @param maximumRetryAttempts retries after a function error (0 to 2; Lambda's default is 2)
     * @param maximumEventAge      how long an event may wait in Lambda's queue, retries included (60 s to 6 h)
     * @param onSuccess            where the record of a successful invocation goes
     * @param onFailure            where the record of an event that failed every attempt or grew too old goes
     * @param deadLetterQueue      the queue (by name) that receives such an event itself, when no
     *                             {@code onFailure} destination is set
     */
    public record AsyncInvokeConfig(int maximumRetryAttempts, Duration maximumEventAge, Optional<Destination> onSuccess,
                                    Optional<Destination> onFailure, Optional<String> deadLetterQueue) {

        public static final int DEFAULT_RETRY_ATTEMPTS = 2;
        public static final Duration DEFAULT_EVENT_AGE = Duration.ofHours(6);
        public static final AsyncInvokeConfig DEFAULTS = new AsyncInvokeConfig(DEFAULT_RETRY_ATTEMPTS,
                DEFAULT_EVENT_AGE, Optional.empty(), Optional.empty(), Optional.empty());

        public AsyncInvokeConfig withDeadLetterQueue(Optional<String> queue) {
            return new AsyncInvokeConfig(maximumRetryAttempts, maximumEventAge, onSuccess, onFailure, queue);
        }
    }

    /** A destination of asynchronous invocation records: an SQS queue or a function, by name. */
    public record Destination(Kind kind, String name) {

        public enum Kind { QUEUE, FUNCTION }

        public static Destination queue(String name) {
            return new Destination(Kind.QUEUE, name);
        }

        public static Destination function(String name) {
            return new Destination(Kind.FUNCTION, name);
        }
    }

    /**
     * Lambda's reserved environment variables: a function may not set them (CreateFunction refuses), the runtime
     * does. See "Defined runtime environment variables" in the Lambda developer guide.
     */
    private static final java.util.Set<String> RESERVED = java.util.Set.of(
            "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
            "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    public static boolean reservedVariable(String name) {
        return RESERVED.contains(name);
    }
}
