package dev.blocks.localcloud.spec;

import java.util.Optional;

/** An SQS queue; {@code deadLetterQueue} names the DLQ (by queue name) when a redrive policy is set. */
public record QueueSpec(
        String name,
        boolean fifo,
        boolean contentBasedDeduplication,
        int delaySeconds,
        int visibilityTimeoutSeconds,
        int messageRetentionSeconds,
        Optional<String> deadLetterQueue,
        int maxReceiveCount) {}
