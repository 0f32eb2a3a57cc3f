package dev.blocks.localcloud.spec;

/** An EventBridge schedule: {@code rate(1 minute)} or {@code cron(0 10 * * ? *)}, and the function it fires. */
public record ScheduleSpec(String name, String expression, String functionName, boolean enabled) {}
