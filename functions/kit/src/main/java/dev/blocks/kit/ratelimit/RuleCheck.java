package dev.blocks.kit.ratelimit;

/**
 * One rule applied to one request: the Redis key of the counter it uses and the hash tag that key carries
 * (checks with equal tags can be evaluated in one script call).
 */
public record RuleCheck(Rule rule, String key, String hashTag) {}
