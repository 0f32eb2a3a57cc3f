package dev.blocks.scheduler.domain;

import java.time.Instant;

/** One try of a run; {@code finishedAt} and {@code error} stay null while it is under way (or if it died). */
public record Attempt(int attempt, Instant startedAt, Instant finishedAt, String error) {}
