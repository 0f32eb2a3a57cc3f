package dev.blocks.webhooks.domain;

import java.time.Instant;

/** An outbound event as published by a client: its type and JSON payload (kept as the exact text sent on). */
public record Event(String id, String owner, String type, String payload, Instant createdAt) {}
