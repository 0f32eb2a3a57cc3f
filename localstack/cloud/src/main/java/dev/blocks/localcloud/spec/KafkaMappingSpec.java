package dev.blocks.localcloud.spec;

import java.util.List;

/** Kafka (MSK or self-managed) event source mapping; {@code startingPosition} is LATEST or TRIM_HORIZON. */
public record KafkaMappingSpec(
        List<String> topics,
        String functionName,
        String consumerGroupId,
        int batchSize,
        int maximumBatchingWindowSeconds,
        String startingPosition,
        boolean selfManaged,
        boolean enabled) {}
