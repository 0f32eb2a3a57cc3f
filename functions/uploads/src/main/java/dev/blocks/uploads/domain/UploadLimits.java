package dev.blocks.uploads.domain;

/**
 * What an upload may be: at most {@code maxSize} bytes; single-request below {@code multipartThreshold}, multipart
 * from there with parts of {@code preferredPartSize} (grown when needed, see {@link PartPlan#of}); at most
 * {@code maxPartsPerBatch} part URLs per request, so a 10,000-part upload never gets all its URLs at once.
 */
public record UploadLimits(long maxSize, long multipartThreshold, long preferredPartSize, int maxPartsPerBatch) {

    /** S3 takes at most 5 GiB in one PUT or POST. */
    public static final long MAX_SINGLE_REQUEST_SIZE = 5L * 1024 * PartPlan.MIB;

    public UploadLimits {
        if (maxSize < 1 || maxSize > PartPlan.MAX_OBJECT_SIZE) {
            throw new IllegalArgumentException("max size must be 1 byte to 5 TiB");
        }
        if (multipartThreshold < 1 || multipartThreshold > MAX_SINGLE_REQUEST_SIZE + 1) {
            throw new IllegalArgumentException("the multipart threshold must be 1 byte to 5 GiB + 1");
        }
        // Validated through the plan of the largest object: a preferred size S3 would refuse fails here, at start.
        PartPlan.of(Math.max(1, maxSize), preferredPartSize);
        if (maxPartsPerBatch < 1 || maxPartsPerBatch > PartPlan.MAX_PARTS) {
            throw new IllegalArgumentException("a part batch must be 1 to 10,000 parts");
        }
    }

    /** The method for a file of {@code size} bytes; {@code browserForm} asks for POST when single-request. */
    public UploadMethod methodFor(long size, boolean browserForm) {
        if (size >= multipartThreshold) {
            return UploadMethod.MULTIPART;
        }
        return browserForm ? UploadMethod.POST : UploadMethod.PUT;
    }

    public PartPlan partPlan(long size) {
        return PartPlan.of(size, preferredPartSize);
    }
}
