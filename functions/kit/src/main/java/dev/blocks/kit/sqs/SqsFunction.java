package dev.blocks.kit.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.lambda.Invocation;
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

    /**
     * Handles the batch's messages in order. Before each, if the longest message so far would not end before the
     * invocation must stop ({@link Invocation#stopDue}), this and the rest are reported failed without being
     * touched: they come back after the visibility timeout (one more receive each), where a timeout would have
     * failed the whole batch, the finished messages included, and cut one off mid-way.
     */
    @Override
    default JsonNode invoke(JsonNode event) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode failures = response.putArray("batchItemFailures");
        Invocation invocation = Invocation.current();
        long longestMillis = 0;
        int leftForRetry = 0;
        for (JsonNode record : event.path("Records")) {
            SqsMessage message = SqsMessage.fromRecord(record);
            if (leftForRetry > 0 || invocation.stopDue(longestMillis)) {
                leftForRetry++;
                failures.addObject().put("itemIdentifier", message.messageId());
                continue;
            }
            long started = invocation.clock().getAsLong();
            try {
                onMessage(message);
            } catch (Exception e) {
                Logger.getLogger(getClass()).warnf("message %s failed (receive %d): %s", message.messageId(),
                        message.receiveCount(), e.toString());
                failures.addObject().put("itemIdentifier", message.messageId());
            }
            longestMillis = Math.max(longestMillis, invocation.clock().getAsLong() - started);
        }
        if (leftForRetry > 0) {
            Logger.getLogger(getClass()).warnf("%d message(s) left for a retry: the invocation's deadline is near "
                    + "(longest message took %d ms)", leftForRetry, longestMillis);
        }
        return response;
    }
}
