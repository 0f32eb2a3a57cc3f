package dev.blocks.uploads.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One upload and, once COMPLETED, the file it produced (the file id is the upload id). {@code version} counts
 * status changes, so a repeated event that changed nothing is visible as such.
 *
 * @param multipartUploadId S3's id of the multipart upload (MULTIPART only)
 * @param partSize the planned part size (MULTIPART only, else 0)
 * @param eTag the verified object's ETag once COMPLETED
 * @param sha256Verified S3 confirmed the declared SHA-256, so the file may answer dedup requests
 */
public record Upload(
        UUID id,
        String owner,
        String key,
        String filename,
        MediaType contentType,
        String purpose,
        long size,
        Optional<Sha256> sha256,
        UploadMethod method,
        Optional<String> multipartUploadId,
        long partSize,
        UploadStatus status,
        long version,
        Instant createdAt,
        Instant expiresAt,
        Instant updatedAt,
        Optional<Instant> completedAt,
        Optional<String> eTag,
        boolean sha256Verified,
        Optional<String> failure) {

    public Optional<PartPlan> partPlan() {
        return method == UploadMethod.MULTIPART ? Optional.of(new PartPlan(size, partSize, (int) PartPlan.ceilDiv(size, partSize)))
                : Optional.empty();
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
