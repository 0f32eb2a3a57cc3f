package dev.blocks.localcloud.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What Lambda sends to an SQS (or SNS) on-failure destination of a Kafka mapping for a batch it discards: the
 * invocation's context and, per {@code "<topic>-<partition>"}, the first and last offset and timestamp of the
 * batch's records, so that they can be read again from the topic. It carries no record keys or values (only an
 * S3 destination receives the whole event).
 */
final class KafkaFailureRecord {

    /** The function failed on the batch every time it was allowed to try. */
    static final String RETRIES_EXHAUSTED = "RetryAttemptsExhausted";
    /** The records grew older than the mapping's maximum record age before the function took them. */
    static final String RECORD_AGE_EXCEEDED = "RecordAgeExceeded";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private KafkaFailureRecord() {}

    /**
     * @param invocations how often the function ran these records (0: never, and then no response context)
     * @param eventSourceArn null for a self-managed cluster
     * @param payloadSize the bytes of the event the batch makes
     */
    static byte[] of(List<ConsumerRecord<byte[], byte[]>> records, String requestId, String functionArn,
                     String condition, int invocations, String eventSourceArn, String bootstrapServers,
                     long payloadSize) {
        ObjectNode record = JSON.createObjectNode();
        ObjectNode request = record.putObject("requestContext");
        request.put("requestId", requestId);
        request.put("functionArn", functionArn);
        request.put("condition", condition);
        request.put("approximateInvokeCount", invocations);
        if (invocations > 0) {
            ObjectNode response = record.putObject("responseContext");
            response.put("statusCode", 200);
            response.put("executedVersion", "$LATEST");
            response.put("functionError", "Unhandled");
        } else {
            record.putNull("responseContext");
        }
        record.put("version", "1.0");
        record.put("timestamp", TIMESTAMP.format(Instant.now()));
        ObjectNode batch = record.putObject("KafkaBatchInfo");
        batch.put("batchSize", records.size());
        if (eventSourceArn != null) {
            batch.put("eventSourceArn", eventSourceArn);
        }
        batch.put("bootstrapServers", bootstrapServers);
        batch.put("payloadSize", payloadSize);
        ObjectNode byPartition = batch.putObject("recordsInfo");
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = r.topic() + "-" + r.partition();
            String offset = Long.toString(r.offset());
            String timestamp = TIMESTAMP.format(Instant.ofEpochMilli(r.timestamp()));
            ObjectNode partition = (ObjectNode) byPartition.get(key);
            if (partition == null) {
                partition = byPartition.putObject(key);
                // Offsets are strings in Lambda's record, as for Kinesis sequence numbers.
                partition.put("firstRecordOffset", offset);
                partition.put("firstRecordTimestamp", timestamp);
            }
            partition.put("lastRecordOffset", offset);
            partition.put("lastRecordTimestamp", timestamp);
        }
        try {
            return JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an on-failure record could not be written", e);
        }
    }
}
