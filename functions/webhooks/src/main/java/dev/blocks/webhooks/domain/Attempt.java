package dev.blocks.webhooks.domain;

import java.time.Instant;

/**
 * One recorded delivery attempt: its number within its round (a recover starts a new round), when it was made,
 * the HTTP status (0 for no response), latency, the start of the response body, and the error without a response.
 */
public record Attempt(int round, int number, Instant at, int status, long latencyMillis, String excerpt, String error) {}
