package dev.blocks.localcloud.spec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Kafka (MSK or self-managed) event source mapping; {@code startingPosition} is LATEST or TRIM_HORIZON. */
public record KafkaMappingSpec(
        List<String> topics,
        String functionName,
        String consumerGroupId,
        int batchSize,
        int maximumBatchingWindowSeconds,
        String startingPosition,
        boolean selfManaged,
        boolean enabled,
        ErrorHandling errorHandling) {

    /** A mapping with Lambda's default error handling: a failing batch is retried until it succeeds. */
    public KafkaMappingSpec(List<String> topics, String functionName, String consumerGroupId, int batchSize,
                            int maximumBatchingWindowSeconds, String startingPosition, boolean selfManaged,
                            boolean enabled) {
        this(topics, functionName, consumerGroupId, batchSize, maximumBatchingWindowSeconds, startingPosition,
                selfManaged, enabled, ErrorHandling.DEFAULTS);
    }

    /**
     * What Lambda does with a batch the function fails (settings of provisioned mode only).
     *
     * @param maximumRetryAttempts  retries after the first attempt; -1 is infinite (Lambda's default)
     * @param maximumRecordAge      records older than this (by their timestamp) are not sent to the function;
     *                              empty is infinite
     * @param bisectBatchOnFunctionError a failed batch is split in two, each half retried on its own
     * @param reportBatchItemFailures the function's answer may name the records that failed
     * @param onFailureQueue        the SQS queue (by name) that receives a record of each discarded batch
     */
    public record ErrorHandling(int maximumRetryAttempts, Optional<Duration> maximumRecordAge,
                                boolean bisectBatchOnFunctionError, boolean reportBatchItemFailures,
                                Optional<String> onFailureQueue) {

        public static final int INFINITE = -1;
        /** Lambda's cap on retries when they are infinite but an on-failure destination is set. */
        public static final int CAP_WITH_DESTINATION = 10;
        public static final ErrorHandling DEFAULTS = new ErrorHandling(INFINITE, Optional.empty(), false, false,
                Optional.empty());

        /** The retries Lambda makes: infinite ones become {@link #CAP_WITH_DESTINATION} with a destination. */
        public int effectiveRetryAttempts() {
            return maximumRetryAttempts == INFINITE && onFailureQueue.isPresent()
                    ? CAP_WITH_DESTINATION : maximumRetryAttempts;
        }
    }
}
