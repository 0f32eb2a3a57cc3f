package dev.blocks.kit.ratelimit;

/** One invalid field of a rule: its JSON name (e.g. {@code keyBy[1]}) and what is wrong with it. */
public record FieldError(String field, String message) {}
