package dev.blocks.uploads.domain;

/** A part the client says it uploaded, with the ETag S3 answered its PUT with. */
public record ClaimedPart(int partNumber, String eTag) {

    public ClaimedPart {
        eTag = ETags.unquoted(eTag);
    }
}
