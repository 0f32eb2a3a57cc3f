package dev.blocks.kit.identity;

/**
 * Who made a request. {@code owner} scopes data (links, uploads, jobs …); {@code credential} names how the
 * caller proved it: the id of an API key, or {@code jwt:<issuer>} for authorizer claims.
 */
public record Caller(String owner, String credential) {}
