package dev.blocks.scheduler.domain;

/** A validated job request. */
public record NewJob(String name, Schedule schedule, Target target, String payload, int maxAttempts, Overlap overlap,
                     String idempotencyKey) {}
