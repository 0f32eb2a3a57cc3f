package dev.blocks.uploads.domain;

/**
 * How a multipart upload is cut: every part but the last is {@code partSize} bytes, the last holds the rest.
 * S3's limits bound the choice: parts of at least 5 MiB (except the last), at most 5 GiB, at most 10,000 of them,
 * objects of at most 5 TiB.
 */
public record PartPlan(long objectSize, long partSize, int partCount) {

    public static final long MIB = 1L << 20;
    public static final long MIN_PART_SIZE = 5 * MIB;
    public static final long MAX_PART_SIZE = 5L * 1024 * MIB;
    public static final int MAX_PARTS = 10_000;
    public static final long MAX_OBJECT_SIZE = 5L * 1024 * 1024 * MIB;

    public PartPlan {
        if (objectSize < 1 || objectSize > MAX_OBJECT_SIZE) {
            throw new IllegalArgumentException("object size must be 1 byte to 5 TiB: " + objectSize);
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("part size must be 5 MiB to 5 GiB: " + partSize);
        }
        if (partCount != ceilDiv(objectSize, partSize) || partCount > MAX_PARTS) {
            throw new IllegalArgumentException(partCount + " parts of " + partSize + " bytes do not make " + objectSize);
        }
    }

    /**
     * The plan for {@code objectSize} bytes with parts of {@code preferredPartSize}, grown to the next whole MiB
     * that fits the object in 10,000 parts when the preferred size would need more. A larger part only costs a
     * client more to retry, so the smallest size that fits is the best.
     */
    public static PartPlan of(long objectSize, long preferredPartSize) {
        if (objectSize < 1 || objectSize > MAX_OBJECT_SIZE) {
            throw new IllegalArgumentException("object size must be 1 byte to 5 TiB: " + objectSize);
        }
        if (preferredPartSize < MIN_PART_SIZE || preferredPartSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("preferred part size must be 5 MiB to 5 GiB: " + preferredPartSize);
        }
        long fitting = ceilDiv(ceilDiv(objectSize, MAX_PARTS), MIB) * MIB;
        long partSize = Math.max(preferredPartSize, fitting);
        return new PartPlan(objectSize, partSize, (int) ceilDiv(objectSize, partSize));
    }

    /** The size of part {@code partNumber} (1-based). */
    public long sizeOf(int partNumber) {
        if (partNumber < 1 || partNumber > partCount) {
            throw new IllegalArgumentException("part " + partNumber + " is not in 1.." + partCount);
        }
        return partNumber < partCount ? partSize : lastPartSize();
    }

    public long lastPartSize() {
        return objectSize - (partCount - 1L) * partSize;
    }

    static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }
}
