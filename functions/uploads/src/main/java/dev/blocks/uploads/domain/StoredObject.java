package dev.blocks.uploads.domain;

import java.util.Optional;

/**
 * What S3 says about an object (HeadObject with checksums enabled): its size, Content-Type, ETag, and the
 * SHA-256 of its content when S3 holds one.
 */
public record StoredObject(long size, String contentType, String eTag, Optional<Sha256> sha256) {}
