package dev.blocks.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DueBucketsTest {

    private final DueBuckets buckets = new DueBuckets(Duration.ofSeconds(60), 4);

    @Test
    void aRunLandsInTheBucketOfItsMinuteAndTheShardOfItsJob() {
        Instant at = Instant.parse("2026-11-24T10:15:42.500Z");
        String key = buckets.keyOf("job_a", at);
        assertThat(key).startsWith(Instant.parse("2026-11-24T10:15:00Z").getEpochSecond() + "#");
        assertThat(buckets.keyOf("job_a", at.plusSeconds(10))).isEqualTo(key);
        assertThat(buckets.shardOf("job_a")).isBetween(0, 3);
    }

    @Test
    void theKeysOfAWindowCoverEveryBucketItTouchesTimesEveryShard() {
        Instant from = Instant.parse("2026-11-24T10:15:30Z");
        Instant to = Instant.parse("2026-11-24T10:17:00Z");
        assertThat(buckets.keysBetween(from, to)).hasSize(2 * 4)
                .contains(Instant.parse("2026-11-24T10:15:00Z").getEpochSecond() + "#0",
                        Instant.parse("2026-11-24T10:16:00Z").getEpochSecond() + "#3")
                .doesNotContain(Instant.parse("2026-11-24T10:17:00Z").getEpochSecond() + "#0");
    }

    @Test
    void jobsSpreadOverTheShards() {
        DueBuckets sixteen = new DueBuckets(Duration.ofSeconds(60), 16);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 16_000; i++) {
            counts.merge(sixteen.shardOf(JobIds.random()), 1, Integer::sum);
        }
        assertThat(counts).hasSize(16);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(800, 1200));
    }

    @Test
    void theQueueDelayIsTheWholeSecondsLeftLessTheEarlyArrivalCappedAtFifteenMinutes() {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        assertThat(QueueDelay.seconds(now.plusMillis(2_900), now, Duration.ZERO)).isEqualTo(2);
        assertThat(QueueDelay.seconds(now.plusMillis(2_900), now, Duration.ofSeconds(2))).isZero();
        assertThat(QueueDelay.seconds(now.plusMillis(12_900), now, Duration.ofSeconds(2))).isEqualTo(10);
        assertThat(QueueDelay.seconds(now.minusSeconds(5), now, Duration.ofSeconds(2))).isZero();
        assertThat(QueueDelay.seconds(now.plusSeconds(3_600), now, Duration.ofSeconds(2))).isEqualTo(900);
    }
}
