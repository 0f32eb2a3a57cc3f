package dev.blocks.uploads.handlers;

import dev.blocks.kit.lambda.Invocation;
import dev.blocks.kit.lambda.ScheduledFunction;
import dev.blocks.uploads.UploadsConfig;
import dev.blocks.uploads.domain.RoundRobinBatch;
import dev.blocks.uploads.domain.Upload;
import dev.blocks.uploads.domain.UploadStatus;
import dev.blocks.uploads.store.UploadBucket;
import dev.blocks.uploads.store.UploadTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * uploads-reconciler: on a schedule, looks at every open upload older than {@code reconcile-after}. One whose
 * object is in S3 is settled as its event would have settled it (the notification was lost); one without an
 * object past its expiry (plus {@code expiry-grace}) becomes EXPIRED and its multipart upload is aborted, so no
 * orphaned parts are left to pay for. Each run takes its batch round robin over the open index's shards, each from
 * where the previous run left it ({@link UploadTable#nextOpenBatch}), so a crowded shard cannot starve the others
 * and uploads that stay open cannot hold a shard's sweep in place.
 */
@ApplicationScoped
@Named(UploadReconciler.NAME)
class UploadReconciler implements ScheduledFunction {

    static final String NAME = "uploads-reconciler";

    private static final Logger LOG = Logger.getLogger(UploadReconciler.class);

    private final UploadTable table;
    private final UploadBucket bucket;
    private final ObjectVerifier verifier;
    private final Clock clock;
    private final Duration reconcileAfter;
    private final Duration grace;
    private final int batch;

    UploadReconciler(UploadTable table, UploadBucket bucket, ObjectVerifier verifier, Clock clock, UploadsConfig config) {
        this.table = table;
        this.bucket = bucket;
        this.verifier = verifier;
        this.clock = clock;
        this.reconcileAfter = config.reconcileAfter();
        this.grace = config.expiryGrace();
        this.batch = config.reconcileBatch();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onSchedule(Instant time) {
        Instant now = clock.instant();
        RoundRobinBatch.Batch<UploadTable.OpenPosition, Upload> taken = table.nextOpenBatch(now.minus(reconcileAfter), batch);
        List<Upload> open = taken.items();
        int[] settled = {0};
        int[] expired = {0};
        int[] failures = {0};
        // Uploads not reached before the invocation must stop stay open: the next run takes them.
        int reconciled = Invocation.current().eachInTime(open, upload -> {
            try {
                Optional<Upload> after = verifier.settle(upload, "reconciler");
                if (after.isPresent()) {
                    settled[0] += after.get().status().open() ? 0 : 1;
                } else if (now.isAfter(upload.expiresAt().plus(grace)) && expire(upload, now)) {
                    expired[0]++;
                }
            } catch (RuntimeException e) {
                // one upload's trouble must not stop the others; it is looked at again on the next run
                failures[0]++;
                LOG.warnf(e, "reconciling upload %s failed", upload.id());
            }
        });
        LOG.infof("reconciled %d of %d open uploads (%d queries): %d settled, %d expired, %d failed%s", reconciled,
                open.size(), taken.reads(), settled[0], expired[0], failures[0],
                open.size() == batch || reconciled < open.size() ? " (more remain)" : "");
    }

    private boolean expire(Upload upload, Instant now) {
        try {
            table.transition(upload, UploadStatus.EXPIRED, now, new UploadTable.Outcome(Optional.empty(), false,
                    Optional.of("nothing was uploaded before " + upload.expiresAt())));
        } catch (UploadTable.Conflict lost) {
            return false;
        }
        upload.multipartUploadId().ifPresent(m -> bucket.abortMultipart(upload.key(), m));
        LOG.infof("upload %s EXPIRED", upload.id());
        return true;
    }
}
