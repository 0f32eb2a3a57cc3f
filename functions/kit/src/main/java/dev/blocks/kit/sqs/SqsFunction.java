package dev.blocks.kit.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.lambda.Invocation;
import dev.blocks.kit.lambda.LambdaFunction;
import java.util.ArrayList;
import java.util.List;
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
     * Handles the batch's messages in order, as long as the longest message so far would end before the invocation
     * must stop ({@link Invocation#eachInTime}); the rest are reported failed without being touched: they come back
     * after the visibility timeout (one more receive each), where a timeout would have failed the whole batch, the
     * finished messages included, and cut one off mid-way.
     */
    @Override
    default JsonNode invoke(JsonNode event) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode failures = response.putArray("batchItemFailures");
        List<SqsMessage> messages = new ArrayList<>();
        event.path("Records").forEach(record -> messages.add(SqsMessage.fromRecord(record)));
        int handled = Invocation.current().eachInTime(messages, message -> {
            try {
                onMessage(message);
            } catch (Exception e) {
                Logger.getLogger(getClass()).warnf("message %s failed (receive %d): %s", message.messageId(),
                        message.receiveCount(), e.toString());
                failures.addObject().put("itemIdentifier", message.messageId());
            }
        });
        for (SqsMessage untouched : messages.subList(handled, messages.size())) {
            failures.addObject().put("itemIdentifier", untouched.messageId());
        }
        if (handled < messages.size()) {
            Logger.getLogger(getClass()).warnf("%d message(s) left for a retry: the invocation's deadline is near",
                    messages.size() - handled);
        }
        return response;
    }
}
