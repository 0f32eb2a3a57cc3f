package dev.blocks.shortener.domain;

/** One invalid field of a request: which one and what is wrong with it. */
public record Violation(String field, String message) {}
