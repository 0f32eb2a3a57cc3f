package dev.blocks.shortener.domain;

import java.time.Instant;

/**
 * One redirect as the click stream carries it. {@code visitor} is a keyed hash of the client IP (never the IP
 * itself); {@code referrer}, {@code userAgent} and {@code country} may be null.
 */
public record Click(String code, Instant at, String referrer, String visitor, String userAgent, String country) {}
