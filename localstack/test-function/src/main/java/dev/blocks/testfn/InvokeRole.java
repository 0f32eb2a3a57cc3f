package dev.blocks.testfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.lambda.KafkaFunction;
import dev.blocks.kit.lambda.KafkaRecord;
import dev.blocks.kit.lambda.LambdaFunction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * test-invoke: answers the Invoke API with what it was sent (or fails when asked, or first sleeps
 * {@code sleepMillis} when the event has it), and records the values of Kafka events delivered by its event source
 * mapping.
 */
@ApplicationScoped
@Named(InvokeRole.NAME)
class InvokeRole implements LambdaFunction {

    static final String NAME = "test-invoke";

    private final Records records;

    InvokeRole(Records records) {
        this.records = records;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode invoke(JsonNode event) {
        if (event.has("records") && event.path("eventSource").asText().contains("Kafka")
                || "aws:kafka".equals(event.path("eventSource").asText())) {
            for (KafkaRecord record : KafkaFunction.records(event)) {
                records.put("kafka", record.topic() + "#" + record.partition() + "#" + record.offset(),
                        Map.of("value", new String(record.value(), StandardCharsets.UTF_8)));
            }
            return null;
        }
        if (event.path("sleepMillis").canConvertToLong()) {
            // A slow function (e.g. one that runs longer than a caller's client timeout).
            try {
                Thread.sleep(event.path("sleepMillis").asLong());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (event.path("fail").asBoolean(false)) {
            throw new IllegalArgumentException("asked to fail");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("function", name());
        out.set("received", event);
        return out;
    }
}
