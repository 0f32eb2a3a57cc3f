package dev.blocks.webhooks.domain;

/** Where a source's verified events are published: an SQS queue or a Kafka topic, by name. */
public record Destination(Kind kind, String name) {

    public enum Kind { SQS, KAFKA }
}
