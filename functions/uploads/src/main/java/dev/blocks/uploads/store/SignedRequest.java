package dev.blocks.uploads.store;

import java.time.Instant;
import java.util.Map;

/**
 * A request a client may send without credentials: {@code method} to {@code url} with exactly {@code headers}
 * (the signed ones; a different value breaks the signature), valid until {@code expiresAt}.
 */
public record SignedRequest(String method, String url, Map<String, String> headers, Instant expiresAt) {}
