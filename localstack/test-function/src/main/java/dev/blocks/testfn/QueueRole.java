package dev.blocks.testfn;

import dev.blocks.kit.sqs.SqsFunction;
import dev.blocks.kit.sqs.SqsMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.Map;

/**
 * test-sqs: records every delivery; a body starting with {@code fail-once} fails on its first delivery only,
 * {@code fail-always} always fails (so it ends in the DLQ).
 */
@ApplicationScoped
@Named(QueueRole.NAME)
class QueueRole implements SqsFunction {

    static final String NAME = "test-sqs";

    private final Records records;

    QueueRole(Records records) {
        this.records = records;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onMessage(SqsMessage message) {
        records.put("sqs", message.body() + "#" + message.receiveCount(),
                Map.of("messageId", message.messageId(), "body", message.body()));
        if (message.body().startsWith("fail-always")
                || (message.body().startsWith("fail-once") && message.receiveCount() == 1)) {
            throw new IllegalStateException("asked to fail: " + message.body());
        }
    }
}
