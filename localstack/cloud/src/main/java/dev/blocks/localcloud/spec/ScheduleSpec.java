package dev.blocks.localcloud.spec;

import java.util.Optional;

/**
 * A schedule and the function it fires: an EventBridge rule ({@code aws_cloudwatch_event_rule} with a target) or an
 * EventBridge Scheduler schedule ({@code aws_scheduler_schedule}, then {@code schedulerGroup} names its group).
 * {@code expression} is {@code rate(1 minute)}, {@code cron(0 10 * * ? *)} or, for Scheduler,
 * {@code at(2026-12-31T23:00:00)}. {@code input}, when present, is the JSON the function receives instead of the
 * scheduled event (the target's {@code input}; Scheduler replaces its {@code <aws.scheduler.*>} placeholders).
 */
public record ScheduleSpec(String name, String expression, String functionName, boolean enabled, Optional<String> input,
                           Optional<String> schedulerGroup) {

    /** An EventBridge rule's schedule. */
    public ScheduleSpec(String name, String expression, String functionName, boolean enabled, Optional<String> input) {
        this(name, expression, functionName, enabled, input, Optional.empty());
    }

    /** An EventBridge rule's schedule that sends the scheduled event itself. */
    public ScheduleSpec(String name, String expression, String functionName, boolean enabled) {
        this(name, expression, functionName, enabled, Optional.empty());
    }
}
