package dev.blocks.kit.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.lambda.LambdaFunction;
import org.jboss.logging.Logger;

/**
 * A function fed by an SQS event source mapping with {@code ReportBatchItemFailures}: each message is handled
 * on its own and only the failed ones are reported back, so SQS redelivers just those (and moves them to the DLQ
 * after maxReceiveCount) while the rest of the batch is deleted.
 */
public interface SqsFunction extends LambdaFunction {

    /** Handles one message; throwing marks it failed (it comes back after the visibility timeout). */
    void onMessage(SqsMessage message) throws Exception;

    @Override
    default JsonNode invoke(JsonNode event) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode failures = response.putArray("batchItemFailures");
        for (JsonNode record : event.path("Records")) {
            SqsMessage message = SqsMessage.fromRecord(record);
            try {
                onMessage(message);
            } catch (Exception e) {
                Logger.getLogger(getClass()).warnf("message %s failed (receive %d): %s", message.messageId(),
                        message.receiveCount(), e.toString());
                failures.addObject().put("itemIdentifier", message.messageId());
            }
        }
        return response;
    }
}
