package dev.blocks.localcloud.spec;

import java.util.Optional;

/**
 * An EventBridge schedule: {@code rate(1 minute)} or {@code cron(0 10 * * ? *)}, and the function it fires.
 * {@code input}, when present, is the JSON the function receives instead of the scheduled event (the target's
 * {@code input}).
 */
public record ScheduleSpec(String name, String expression, String functionName, boolean enabled, Optional<String> input) {

    /** A schedule that sends the scheduled event itself. */
    public ScheduleSpec(String name, String expression, String functionName, boolean enabled) {
        this(name, expression, functionName, enabled, Optional.empty());
    }
}
