package dev.blocks.scheduler.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The partitions of the byOwner index: an owner's jobs are spread over {@code count} partitions
 * ({@code <owner>#<shard>}, the shard a hash of the job id), so that one tenant creating and finishing jobs at a
 * high rate (a single-tenant deployment: every job has the same owner) is not one hot index partition. A listing
 * reads all of an owner's partitions and merges them ({@link NewestFirst}). Raising {@code count} later is safe
 * (entries keep the partition they were written to, and every lower one is still read); lowering it hides the jobs
 * in the partitions no longer read.
 */
public record OwnerShards(int count) {

    public OwnerShards {
        if (count < 1) {
            throw new IllegalArgumentException("at least one owner shard");
        }
    }

    /** The index partition of {@code jobId}, a job of {@code owner}. */
    public String keyOf(String owner, String jobId) {
        return owner + "#" + JobIds.shardOf(jobId, count);
    }

    /** Every partition of {@code owner}'s jobs. */
    public List<String> keys(String owner) {
        List<String> keys = new ArrayList<>(count);
        for (int shard = 0; shard < count; shard++) {
            keys.add(owner + "#" + shard);
        }
        return keys;
    }
}
