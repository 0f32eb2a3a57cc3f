package dev.blocks.kit.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A function fired by an EventBridge schedule; {@code time} is the scheduled time of the tick. */
public interface ScheduledFunction extends LambdaFunction {

    void onSchedule(Instant time) throws Exception;

    @Override
    default JsonNode invoke(JsonNode event) throws Exception {
        JsonNode time = event.path("time");
        onSchedule(time.isTextual() ? Instant.parse(time.asText()) : Instant.now());
        return null;
    }
}
