package dev.blocks.uploads.handlers;

import dev.blocks.kit.metrics.Metrics;
import dev.blocks.uploads.domain.StoredObject;
import dev.blocks.uploads.domain.Upload;
import dev.blocks.uploads.domain.UploadStatus;
import dev.blocks.uploads.domain.Verification;
import dev.blocks.uploads.store.UploadBucket;
import dev.blocks.uploads.store.UploadTable;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Settles an open upload from what S3 holds at its key: an object that matches the declaration completes it, one
 * that does not fails it and is deleted (it is nobody's file). S3 is asked (HeadObject), never the event or the
 * client, so duplicate, late or out-of-order notifications all reach the same answer, and the conditional write
 * lets only the first of them record it.
 */
@ApplicationScoped
class ObjectVerifier {

    private static final Logger LOG = Logger.getLogger(ObjectVerifier.class);

    /** Uploads whose object matched the declaration: COMPLETED (by the event, the reconciler or the API). */
    static final String COMPLETED = "uploads.completed";
    /** Uploads whose object did not match the declaration (size, type, checksum): FAILED, the object deleted. */
    static final String REJECTED = "uploads.rejected";

    private final UploadTable table;
    private final UploadBucket bucket;
    private final Clock clock;
    private final Metrics metrics;

    ObjectVerifier(UploadTable table, UploadBucket bucket, Clock clock, Metrics metrics) {
        this.metrics = metrics;
        this.table = table;
        this.bucket = bucket;
        this.clock = clock;
    }

    /**
     * The upload after checking its object; empty when there is no object yet. A settled upload comes back as it
     * is, without a look at S3.
     */
    Optional<Upload> settle(Upload upload, String trigger) {
        if (!upload.status().open()) {
            return Optional.of(upload);
        }
        Optional<StoredObject> stored = bucket.head(upload.key());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Verification verification = Verification.of(upload.size(), upload.contentType(), upload.sha256(), stored.get());
        try {
            if (verification.accepted()) {
                Upload done = table.transition(upload, UploadStatus.COMPLETED, clock.instant(), new UploadTable.Outcome(
                        Optional.of(dev.blocks.uploads.domain.ETags.unquoted(stored.get().eTag())),
                        verification.sha256Verified(), Optional.empty()));
                LOG.infof("upload %s COMPLETED (%s, %d bytes, sha256 %s)", upload.id(), trigger, upload.size(),
                        verification.sha256Verified() ? "verified" : "not verified");
                metrics.increment(COMPLETED);
                return Optional.of(done);
            }
            String reason = String.join("; ", verification.mismatches());
            Upload failed = table.transition(upload, UploadStatus.FAILED, clock.instant(),
                    new UploadTable.Outcome(Optional.empty(), false, Optional.of(reason)));
            LOG.warnf("upload %s FAILED (%s): %s", upload.id(), trigger, reason);
            metrics.increment(REJECTED);
            bucket.delete(upload.key());
            return Optional.of(failed);
        } catch (UploadTable.Conflict lost) {
            // Another event, the reconciler or the API settled it first; theirs is the answer.
            return Optional.of(lost.current());
        }
    }
}
