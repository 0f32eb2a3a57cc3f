package dev.blocks.uploads.store;

import java.time.Instant;
import java.util.Map;

/**
 * A browser form upload: POST {@code multipart/form-data} to {@code url} with {@code fields} in this order and
 * the file as the last field, named {@code file}.
 */
public record PostForm(String url, Map<String, String> fields, Instant expiresAt) {}
