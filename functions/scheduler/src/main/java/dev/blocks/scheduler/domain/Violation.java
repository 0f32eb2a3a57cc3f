package dev.blocks.scheduler.domain;

/** One invalid field of a job request and why. */
public record Violation(String field, String message) {}
