package dev.blocks.kit.ratelimit;

/**
 * What one rule said about a request. {@code remaining}: units still available; {@code resetAfterMs}: how long
 * until this rule's counter is fully restored (if refused: until the request would pass, the moment Retry-After
 * names); {@code retryAfterMs}: 0 when the rule allowed the request, -1 when it never can (the cost exceeds the
 * rule's capacity), else how long until it would pass.
 */
public record RuleOutcome(Rule rule, boolean allowed, long remaining, long resetAfterMs, long retryAfterMs) {}
