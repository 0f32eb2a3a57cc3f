package dev.blocks.webhooks.domain;

/** One invalid field of a request: its name and what is wrong with it. */
public record Violation(String field, String message) {}
