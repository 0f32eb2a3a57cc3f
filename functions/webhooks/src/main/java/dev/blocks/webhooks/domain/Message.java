package dev.blocks.webhooks.domain;

import java.time.Instant;
import java.util.List;

/**
 * One event for one endpoint. {@code attempts} counts the attempts of the current {@code round} (a recover
 * starts the next round); {@code log} holds every attempt of every round.
 */
public record Message(String id, String owner, String endpointId, String eventId, String eventType,
                      MessageStatus status, int attempts, int round, String reason, Instant createdAt,
                      Instant lastAttemptAt, Instant nextAttemptAt, List<Attempt> log) {}
