package dev.blocks.localcloud.spec;

/** SQS event source mapping. {@code reportBatchItemFailures}: FunctionResponseTypes = ReportBatchItemFailures. */
public record QueueMappingSpec(
        String queueName,
        String functionName,
        int batchSize,
        int maximumBatchingWindowSeconds,
        boolean reportBatchItemFailures,
        boolean enabled) {}
