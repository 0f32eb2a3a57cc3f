package dev.blocks.scheduler.domain;

import java.util.Map;

/**
 * A job request as the client sent it, already split into fields (null = absent). {@code payload} is the JSON
 * text of the payload.
 */
public record JobDraft(String name, TargetDraft target, String payload, String runAt, String cron, String timeZone,
                       String rate, String idempotencyKey, Integer maxAttempts, String overlap) {

    /** The target object of a request: {@code type} plus the fields of that type. */
    public record TargetDraft(String type, String queue, String topic, String url, String method,
                              Map<String, String> headers, String function) {}
}
