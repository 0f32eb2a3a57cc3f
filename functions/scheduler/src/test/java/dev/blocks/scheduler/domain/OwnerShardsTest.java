package dev.blocks.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where an owner's jobs go in the byOwner index, and which partitions a listing reads. */
class OwnerShardsTest {

    @Test
    void aListingReadsEveryPartitionOfItsOwnerAndOnlyThose() {
        assertThat(new OwnerShards(4).keys("key:abc")).containsExactly("key:abc#0", "key:abc#1", "key:abc#2", "key:abc#3");
        assertThat(new OwnerShards(1).keys("jwt:https://issuer#sub")).containsExactly("jwt:https://issuer#sub#0");
    }

    @Test
    void aJobsPartitionIsStableAndAmongThoseListed() {
        OwnerShards shards = new OwnerShards(8);
        for (int i = 0; i < 200; i++) {
            String job = JobIds.random();
            String key = shards.keyOf("tenant", job);
            assertThat(shards.keyOf("tenant", job)).isEqualTo(key);
            assertThat(shards.keys("tenant")).contains(key);
        }
    }

    @Test
    void oneOwnersJobsSpreadOverAllPartitions() {
        OwnerShards shards = new OwnerShards(8);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 8000; i++) {
            counts.merge(shards.keyOf("single-tenant", JobIds.random()), 1, Integer::sum);
        }
        assertThat(counts).hasSize(8);
        // Even within a few percent: 1000 expected each.
        assertThat(counts.values()).allMatch(c -> c > 850 && c < 1150);
    }

    @Test
    void raisingTheCountKeepsEveryPartitionWrittenBeforeAmongThoseRead() {
        OwnerShards before = new OwnerShards(4);
        OwnerShards after = new OwnerShards(16);
        for (int i = 0; i < 200; i++) {
            assertThat(after.keys("t")).contains(before.keyOf("t", JobIds.random()));
        }
    }

    @Test
    void noShardsIsAConfigurationError() {
        assertThatThrownBy(() -> new OwnerShards(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
