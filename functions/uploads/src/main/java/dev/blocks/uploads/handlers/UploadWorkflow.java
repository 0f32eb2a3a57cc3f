package dev.blocks.uploads.handlers;

import dev.blocks.kit.http.Problem;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.uploads.UploadsConfig;
import dev.blocks.uploads.domain.ClaimedPart;
import dev.blocks.uploads.domain.CompletionCheck;
import dev.blocks.uploads.domain.Declaration;
import dev.blocks.uploads.domain.ObjectKey;
import dev.blocks.uploads.domain.Part;
import dev.blocks.uploads.domain.PartNumbers;
import dev.blocks.uploads.domain.PartPlan;
import dev.blocks.uploads.domain.Upload;
import dev.blocks.uploads.domain.UploadLimits;
import dev.blocks.uploads.domain.UploadMethod;
import dev.blocks.uploads.domain.UploadStatus;
import dev.blocks.uploads.store.PostForm;
import dev.blocks.uploads.store.SignedRequest;
import dev.blocks.uploads.store.UploadBucket;
import dev.blocks.uploads.store.UploadTable;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The life of an upload as its owner drives it: start (or be answered by an identical completed file), fetch part
 * URLs, look at progress, complete, abort. Every answer about another owner's upload is "not found".
 */
@ApplicationScoped
class UploadWorkflow {

    private static final Logger LOG = Logger.getLogger(UploadWorkflow.class);

    /** What starting an upload gave. */
    sealed interface Started permits Deduplicated, SinglePut, FormPost, Multipart {}

    /** The owner already has this content: no upload happens. */
    record Deduplicated(Upload file) implements Started {}

    record SinglePut(Upload upload, SignedRequest put) implements Started {}

    record FormPost(Upload upload, PostForm form) implements Started {}

    record Multipart(Upload upload, PartPlan plan, List<PartUrl> parts) implements Started {}

    record PartUrl(int partNumber, long size, SignedRequest request) {}

    /** An upload and the parts S3 holds for it (empty unless it is an open multipart upload). */
    record Progress(Upload upload, List<Part> parts) {}

    private final UploadTable table;
    private final UploadBucket bucket;
    private final ObjectVerifier verifier;
    private final Clock clock;
    private final UploadsConfig config;
    private final UploadLimits limits;

    UploadWorkflow(UploadTable table, UploadBucket bucket, ObjectVerifier verifier, Clock clock, UploadsConfig config) {
        this.table = table;
        this.bucket = bucket;
        this.verifier = verifier;
        this.clock = clock;
        this.config = config;
        this.limits = config.limits();
    }

    UploadLimits limits() {
        return limits;
    }

    Started start(String owner, Declaration file, boolean browserForm, Optional<Duration> lifetime) {
        if (file.sha256().isPresent()) {
            Optional<Upload> same = table.completedWithSha256(owner, file.sha256().get())
                    .filter(done -> done.size() == file.size());
            if (same.isPresent()) {
                return new Deduplicated(same.get());
            }
        }
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        String key = ObjectKey.of(config.keyPrefix(), owner, now, id);
        UploadMethod method = limits.methodFor(file.size(), browserForm);
        if (method == UploadMethod.MULTIPART) {
            return startMultipart(owner, file, now, id, key, now.plus(shorter(lifetime, config.multipartTtl())));
        }
        Instant expiresAt = now.plus(shorter(lifetime, config.singleTtl()));
        Upload upload = newUpload(id, owner, key, file, method, Optional.empty(), 0, now, expiresAt);
        table.create(upload);
        if (method == UploadMethod.POST) {
            return new FormPost(upload, bucket.postForm(key, file.contentType(), file.size(), file.sha256(), expiresAt, now));
        }
        return new SinglePut(upload, bucket.presignPut(key, file.contentType(), file.size(), file.sha256(), expiresAt, now));
    }

    /** A client may ask for a shorter lifetime than the configured one, never a longer one. */
    private static Duration shorter(Optional<Duration> asked, Duration configured) {
        return asked.filter(a -> a.compareTo(configured) < 0).orElse(configured);
    }

    private Started startMultipart(String owner, Declaration file, Instant now, UUID id, String key, Instant expiresAt) {
        PartPlan plan = limits.partPlan(file.size());
        String multipartUploadId = bucket.createMultipart(key, file.contentType());
        Upload upload = newUpload(id, owner, key, file, UploadMethod.MULTIPART, Optional.of(multipartUploadId),
                plan.partSize(), now, expiresAt);
        try {
            table.create(upload);
        } catch (RuntimeException e) {
            // without a record nobody would ever complete or abort it
            bucket.abortMultipart(key, multipartUploadId);
            throw e;
        }
        return new Multipart(upload, plan, partUrls(upload, plan, PartNumbers.first(plan, limits.maxPartsPerBatch()), now));
    }

    private static Upload newUpload(UUID id, String owner, String key, Declaration file, UploadMethod method,
                                    Optional<String> multipartUploadId, long partSize, Instant now, Instant expiresAt) {
        return new Upload(id, owner, key, file.filename(), file.contentType(), file.purpose(), file.size(), file.sha256(),
                method, multipartUploadId, partSize, UploadStatus.PENDING, 1, now, expiresAt, now, Optional.empty(),
                Optional.empty(), false, Optional.empty());
    }

    List<PartUrl> grantParts(String owner, UUID id, List<Integer> requested) {
        Upload upload = owned(owner, id);
        PartPlan plan = upload.partPlan().orElseThrow(() -> ProblemException.conflict(
                "upload " + id + " is a single-request upload; it has no parts"));
        Instant now = clock.instant();
        requireOpen(upload, now);
        List<Integer> numbers;
        try {
            numbers = PartNumbers.batch(requested, plan, limits.maxPartsPerBatch());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("partNumbers", e.getMessage());
        }
        if (upload.status() == UploadStatus.PENDING) {
            upload = startUploading(upload, now);
        }
        return partUrls(upload, plan, numbers, now);
    }

    private List<PartUrl> partUrls(Upload upload, PartPlan plan, List<Integer> numbers, Instant now) {
        Instant urlExpiry = now.plus(config.partUrlTtl());
        Instant expiresAt = urlExpiry.isBefore(upload.expiresAt()) ? urlExpiry : upload.expiresAt();
        List<PartUrl> urls = new ArrayList<>(numbers.size());
        for (int n : numbers) {
            long size = plan.sizeOf(n);
            urls.add(new PartUrl(n, size, bucket.presignPart(upload.key(), upload.multipartUploadId().orElseThrow(), n,
                    size, expiresAt, now)));
        }
        return urls;
    }

    Progress progress(String owner, UUID id) {
        Upload upload = owned(owner, id);
        if (upload.method() != UploadMethod.MULTIPART || !upload.status().open()) {
            return new Progress(upload, List.of());
        }
        Optional<List<Part>> parts = bucket.listParts(upload.key(), upload.multipartUploadId().orElseThrow());
        if (parts.isEmpty()) {
            // S3 no longer has the multipart upload: it was completed (its object may be waiting to be verified)
            return new Progress(verifier.settle(upload, "status").orElse(upload), List.of());
        }
        if (upload.status() == UploadStatus.PENDING && !parts.get().isEmpty()) {
            upload = startUploading(upload, clock.instant());
        }
        return new Progress(upload, parts.get());
    }

    Upload complete(String owner, UUID id, List<ClaimedPart> claimed) {
        Upload upload = owned(owner, id);
        if (upload.status() == UploadStatus.COMPLETED) {
            return upload;
        }
        PartPlan plan = upload.partPlan().orElseThrow(() -> ProblemException.conflict(
                "upload " + id + " is a single-request upload; it completes when S3 has the object"));
        requireOpen(upload, clock.instant());
        String multipartUploadId = upload.multipartUploadId().orElseThrow();
        Optional<List<Part>> held = bucket.listParts(upload.key(), multipartUploadId);
        if (held.isEmpty()) {
            return settledAfterS3Completion(upload);
        }
        CompletionCheck check = CompletionCheck.of(plan, claimed, held.get());
        if (!check.complete()) {
            throw new ProblemException(Problem.of(409, "incomplete-upload", "Upload incomplete",
                    String.join("; ", check.problems())));
        }
        try {
            bucket.completeMultipart(upload.key(), multipartUploadId, check.parts());
        } catch (NoSuchUploadException e) {
            return settledAfterS3Completion(upload);
        } catch (S3Exception e) {
            if (e.statusCode() == 400) {
                // InvalidPart / InvalidPartOrder / EntityTooSmall: the parts changed between ListParts and here
                throw new ProblemException(Problem.of(409, "incomplete-upload", "Upload incomplete",
                        "S3 refused to complete the upload: " + e.awsErrorDetails().errorMessage()));
            }
            throw e;
        }
        return settledAfterS3Completion(upload);
    }

    /** S3 has (or had) the object: record what it is, as an event would. */
    private Upload settledAfterS3Completion(Upload upload) {
        return verifier.settle(upload, "complete").orElseThrow(() -> ProblemException.conflict(
                "S3 no longer knows multipart upload of " + upload.id() + " and holds no object for it"));
    }

    Upload abort(String owner, UUID id) {
        Upload upload = owned(owner, id);
        if (upload.status() == UploadStatus.ABORTED) {
            return upload;
        }
        if (!upload.status().open()) {
            throw ProblemException.conflict("upload " + id + " is " + upload.status() + " and cannot be aborted");
        }
        Upload aborted;
        try {
            aborted = table.transition(upload, UploadStatus.ABORTED, clock.instant(), UploadTable.Outcome.none());
        } catch (UploadTable.Conflict lost) {
            if (lost.current().status() == UploadStatus.ABORTED) {
                return lost.current();
            }
            throw ProblemException.conflict("upload " + id + " is " + lost.current().status() + " and cannot be aborted");
        }
        // After the record: a failure here leaves parts that the bucket's lifecycle rule removes within a day.
        upload.multipartUploadId().ifPresent(m -> bucket.abortMultipart(upload.key(), m));
        LOG.infof("upload %s ABORTED by its owner", id);
        return aborted;
    }

    /** A completed file of this owner. */
    Upload file(String owner, UUID id) {
        Upload upload = owned(owner, id);
        if (upload.status() != UploadStatus.COMPLETED) {
            throw ProblemException.conflict("file " + id + " is not available: its upload is " + upload.status());
        }
        return upload;
    }

    String downloadUrl(Upload file) {
        return bucket.presignDownload(file.key(), file.filename(), file.contentType(), config.downloadUrlTtl(), clock.instant());
    }

    private Upload owned(String owner, UUID id) {
        return table.find(id).filter(u -> u.owner().equals(owner))
                .orElseThrow(() -> ProblemException.notFound("no upload " + id));
    }

    private static void requireOpen(Upload upload, Instant now) {
        if (!upload.status().open()) {
            throw ProblemException.conflict("upload " + upload.id() + " is " + upload.status());
        }
        if (upload.expiredAt(now)) {
            throw ProblemException.gone("upload " + upload.id() + " expired at " + upload.expiresAt());
        }
    }

    private Upload startUploading(Upload upload, Instant now) {
        try {
            return table.transition(upload, UploadStatus.UPLOADING, now, UploadTable.Outcome.none());
        } catch (UploadTable.Conflict lost) {
            Upload current = lost.current();
            if (current.status() == UploadStatus.UPLOADING) {
                return current;
            }
            throw ProblemException.conflict("upload " + upload.id() + " is " + current.status());
        }
    }
}
