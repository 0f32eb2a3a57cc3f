package dev.blocks.kit.lambda;

import java.util.Map;

/** One record of a Kafka (MSK or self-managed) event, key and value already base64-decoded. */
public record KafkaRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                          Map<String, byte[]> headers) {}
