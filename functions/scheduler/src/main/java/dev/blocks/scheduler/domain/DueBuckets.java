package dev.blocks.scheduler.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The partitions of the due index: a run waiting for dispatch sits in the partition {@code <bucket>#<shard>}, the
 * bucket being its time rounded down to {@code bucket} and the shard a hash of its job id. Buckets let the
 * dispatcher read only the runs that fall due soon; shards spread one bucket over many partitions, so that a
 * popular minute (every job "at 09:00") is never one hot DynamoDB partition.
 */
public record DueBuckets(Duration bucket, int shards) {

    public DueBuckets {
        if (bucket.toSeconds() < 1 || shards < 1) {
            throw new IllegalArgumentException("buckets of at least 1 s and at least one shard");
        }
    }

    public long bucketOf(Instant at) {
        long size = bucket.toMillis();
        return Math.floorDiv(at.toEpochMilli(), size) * size / 1000;
    }

    public int shardOf(String jobId) {
        return JobIds.shardOf(jobId, shards);
    }

    /** The partition key of a run of {@code jobId} at {@code at}. */
    public String keyOf(String jobId, Instant at) {
        return bucketOf(at) + "#" + shardOf(jobId);
    }

    /** Every partition holding runs in [{@code from}, {@code to}), oldest bucket first. */
    public List<String> keysBetween(Instant from, Instant to) {
        return keysBetween(from, to, new ShardRange(0, shards - 1));
    }

    /** The partitions of one shard group (a dispatcher's share when ticks fan out) in [{@code from}, {@code to}). */
    public List<String> keysBetween(Instant from, Instant to, ShardRange range) {
        List<String> keys = new ArrayList<>();
        long step = bucket.toSeconds();
        for (long b = bucketOf(from); b * 1000 < to.toEpochMilli(); b += step) {
            for (int s = Math.max(0, range.first()); s <= Math.min(shards - 1, range.last()); s++) {
                keys.add(b + "#" + s);
            }
        }
        return keys;
    }
}
