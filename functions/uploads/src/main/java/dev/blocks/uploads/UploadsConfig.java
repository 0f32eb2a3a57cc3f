package dev.blocks.uploads;

import dev.blocks.uploads.domain.ContentTypePolicy;
import dev.blocks.uploads.domain.UploadLimits;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the uploads functions, each an environment variable ({@code blocks.uploads.bucket} is
 * {@code BLOCKS_UPLOADS_BUCKET}). The module README lists every key with its default.
 */
@ConfigMapping(prefix = "blocks.uploads")
public interface UploadsConfig {

    /** The bucket objects go to. */
    @WithDefault("blocks-uploads")
    String bucket();

    /** The DynamoDB table of uploads. */
    @WithDefault("blocks-uploads")
    String table();

    /** Every key starts with this; the API role may only sign for keys below it. */
    @WithDefault("uploads/")
    String keyPrefix();

    /** Largest accepted file, bytes (50 GiB). */
    @WithDefault("53687091200")
    long maxSize();

    /** Files of at least this many bytes are uploaded in parts (100 MiB). */
    @WithDefault("104857600")
    long multipartThreshold();

    /** Preferred part size, bytes (8 MiB); grown when a file would need more than 10,000 parts. */
    @WithDefault("8388608")
    long partSize();

    /** Most part URLs handed out per request. */
    @WithDefault("100")
    int partBatch();

    /**
     * Accepted media types per purpose: {@code purpose=pattern,pattern;purpose=...}. A request without a purpose
     * uses {@code default}.
     */
    @WithDefault("default=*/*;image=image/png,image/jpeg,image/gif,image/webp;document=application/pdf,text/plain,text/csv")
    String contentTypes();

    /** Lifetime of a single-request upload (its PUT URL or POST policy), and the longest a client may ask for. */
    @WithDefault("PT15M")
    Duration singleTtl();

    /** Lifetime of a multipart upload: parts must be uploaded and the upload completed within it. */
    @WithDefault("PT24H")
    Duration multipartTtl();

    /** Lifetime of one part URL (never beyond the upload's own expiry). */
    @WithDefault("PT1H")
    Duration partUrlTtl();

    /** Lifetime of a download URL. */
    @WithDefault("PT5M")
    Duration downloadUrlTtl();

    /**
     * How long after its expiry an open upload is left alone by the reconciler: a PUT that started just before
     * its URL expired may still be sending bytes.
     */
    @WithDefault("PT1H")
    Duration expiryGrace();

    /** Open uploads younger than this are not checked by the reconciler (their events are still on the way). */
    @WithDefault("PT10M")
    Duration reconcileAfter();

    /** Most open uploads one reconciler run looks at. */
    @WithDefault("500")
    int reconcileBatch();

    /** How long records of uploads that never completed are kept (DynamoDB TTL). */
    @WithDefault("P30D")
    Duration recordRetention();

    default UploadLimits limits() {
        return new UploadLimits(maxSize(), multipartThreshold(), partSize(), partBatch());
    }

    default ContentTypePolicy contentTypePolicy() {
        return ContentTypePolicy.parse(contentTypes());
    }
}
