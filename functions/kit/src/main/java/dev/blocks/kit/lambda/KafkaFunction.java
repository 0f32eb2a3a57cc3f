package dev.blocks.kit.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function fed by a Kafka event source mapping. The whole batch succeeds or fails: Lambda's Kafka mappings
 * retry a failed batch, so {@link #onRecords} must be idempotent per record.
 */
public interface KafkaFunction extends LambdaFunction {

    void onRecords(List<KafkaRecord> records) throws Exception;

    @Override
    default JsonNode invoke(JsonNode event) throws Exception {
        onRecords(records(event));
        return null;
    }

    /** The records of a Kafka event in topic-partition order, then offset order. */
    static List<KafkaRecord> records(JsonNode event) {
        Base64.Decoder base64 = Base64.getDecoder();
        List<KafkaRecord> out = new ArrayList<>();
        for (Iterator<JsonNode> partitions = event.path("records").elements(); partitions.hasNext(); ) {
            for (JsonNode r : partitions.next()) {
                Map<String, byte[]> headers = new LinkedHashMap<>();
                for (JsonNode header : r.path("headers")) {
                    header.fields().forEachRemaining(h -> {
                        byte[] bytes = new byte[h.getValue().size()];
                        for (int i = 0; i < bytes.length; i++) {
                            bytes[i] = (byte) h.getValue().get(i).asInt();
                        }
                        headers.put(h.getKey(), bytes);
                    });
                }
                out.add(new KafkaRecord(r.path("topic").asText(), r.path("partition").asInt(),
                        r.path("offset").asLong(), r.path("timestamp").asLong(),
                        r.hasNonNull("key") ? base64.decode(r.get("key").asText()) : null,
                        r.hasNonNull("value") ? base64.decode(r.get("value").asText()) : new byte[0],
                        headers));
            }
        }
        return out;
    }
}
