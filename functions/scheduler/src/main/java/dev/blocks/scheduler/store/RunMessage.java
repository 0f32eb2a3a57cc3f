package dev.blocks.scheduler.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;

/**
 * The body of a run-queue message: which run of which job. The job's target and payload stay in DynamoDB, so a
 * message is small and always reflects the job as it is when the run starts (a cancel in between takes effect).
 */
public record RunMessage(String jobId, Instant scheduledAt, boolean triggered) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        return JSON.createObjectNode().put("jobId", jobId).put("scheduledAt", scheduledAt.toString())
                .put("triggered", triggered).toString();
    }

    /** @throws IllegalArgumentException when the body is not a run message */
    public static RunMessage parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (!node.path("jobId").isTextual() || !node.path("scheduledAt").isTextual()) {
                throw new IllegalArgumentException("not a run message: " + body);
            }
            return new RunMessage(node.get("jobId").asText(), Instant.parse(node.get("scheduledAt").asText()),
                    node.path("triggered").asBoolean(false));
        } catch (IOException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a run message: " + body, e);
        }
    }
}
