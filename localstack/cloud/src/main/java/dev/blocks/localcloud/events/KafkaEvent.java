package dev.blocks.localcloud.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The event Lambda passes to a function for a batch of Kafka records: records grouped under
 * {@code "<topic>-<partition>"}, key and value base64, header values as arrays of (signed) byte values.
 */
final class KafkaEvent {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fixed part of one record in the event, beside its key, value and headers; for the payload estimate. */
    private static final int RECORD_OVERHEAD_BYTES = 200;

    private KafkaEvent() {}

    /** {@code eventSourceArn} is null for a self-managed cluster, whose events carry no ARN. */
    static byte[] of(List<ConsumerRecord<byte[], byte[]>> records, String eventSource, String eventSourceArn,
                     String bootstrapServers) {
        Base64.Encoder base64 = Base64.getEncoder();
        ObjectNode event = JSON.createObjectNode();
        event.put("eventSource", eventSource);
        if (eventSourceArn != null) {
            event.put("eventSourceArn", eventSourceArn);
        }
        event.put("bootstrapServers", bootstrapServers);
        ObjectNode byPartition = event.putObject("records");
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String key = record.topic() + "-" + record.partition();
            ArrayNode list = byPartition.has(key) ? (ArrayNode) byPartition.get(key) : byPartition.putArray(key);
            ObjectNode out = list.addObject();
            out.put("topic", record.topic());
            out.put("partition", record.partition());
            out.put("offset", record.offset());
            out.put("timestamp", record.timestamp());
            out.put("timestampType", record.timestampType().name());
            if (record.key() != null) {
                out.put("key", base64.encodeToString(record.key()));
            }
            if (record.value() != null) {
                out.put("value", base64.encodeToString(record.value()));
            }
            ArrayNode headers = out.putArray("headers");
            for (Header header : record.headers()) {
                ArrayNode bytes = headers.addObject().putArray(header.key());
                if (header.value() != null) {
                    for (byte b : header.value()) {
                        bytes.add(b);
                    }
                }
            }
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Kafka event could not be written", e);
        }
    }

    /** About how many bytes a record adds to the event, to keep a batch under Lambda's payload limit. */
    static long estimatedSize(ConsumerRecord<byte[], byte[]> record) {
        long raw = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
        long headers = 0;
        for (Header header : record.headers()) {
            headers += header.key().length() + 4L * (header.value() == null ? 0 : header.value().length);
        }
        return raw * 4 / 3 + headers + RECORD_OVERHEAD_BYTES;
    }
}
