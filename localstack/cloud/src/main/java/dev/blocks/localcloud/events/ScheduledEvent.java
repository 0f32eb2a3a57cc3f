package dev.blocks.localcloud.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The event EventBridge sends a function when a schedule rule (or a Scheduler schedule without input) fires. */
final class ScheduledEvent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScheduledEvent() {}

    /** {@code time} is the scheduled time, which EventBridge gives to the second. */
    static byte[] of(String ruleName, Instant time, String region) {
        return of("aws.events", "arn:aws:events:" + region + ":" + LocalAccount.ID + ":rule/" + ruleName, time, region);
    }

    /**
     * The default notification EventBridge Scheduler sends a target whose {@code input} is not set: the same shape,
     * from {@code aws.scheduler}, naming the schedule.
     */
    static byte[] ofScheduler(String scheduleArn, Instant time, String region) {
        return of("aws.scheduler", scheduleArn, time, region);
    }

    private static byte[] of(String source, String resource, Instant time, String region) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", source);
        event.put("account", LocalAccount.ID);
        event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", region);
        event.putArray("resources").add(resource);
        event.putObject("detail");
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a scheduled event could not be written", e);
        }
    }
}
