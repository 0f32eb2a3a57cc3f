package dev.blocks.uploads.domain;

/** A part S3 holds for a multipart upload (from ListParts); {@code eTag} without quotes. */
public record Part(int partNumber, long size, String eTag) {

    public Part {
        eTag = ETags.unquoted(eTag);
    }
}
