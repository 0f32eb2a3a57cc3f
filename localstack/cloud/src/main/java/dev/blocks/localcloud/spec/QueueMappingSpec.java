package dev.blocks.localcloud.spec;

/**
 * SQS event source mapping. {@code reportBatchItemFailures}: FunctionResponseTypes = ReportBatchItemFailures;
 * {@code maximumConcurrency}: {@code scaling_config.maximum_concurrency}, the most batches in flight at once
 * (0: not set).
 */
public record QueueMappingSpec(
        String queueName,
        String functionName,
        int batchSize,
        int maximumBatchingWindowSeconds,
        boolean reportBatchItemFailures,
        boolean enabled,
        int maximumConcurrency) {

    /** A mapping without scaling_config. */
    public QueueMappingSpec(String queueName, String functionName, int batchSize, int maximumBatchingWindowSeconds,
                            boolean reportBatchItemFailures, boolean enabled) {
        this(queueName, functionName, batchSize, maximumBatchingWindowSeconds, reportBatchItemFailures, enabled, 0);
    }
}
