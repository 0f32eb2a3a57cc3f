package dev.blocks.bench.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;

/**
 * Bucket4j's Redis token bucket over Lettuce (one multiplexed connection, as Lettuce recommends), configured as
 * the kit's token bucket: capacity limit, refilled limit per minute.
 */
final class Bucket4jWorkload implements Workload {

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final ProxyManager<String> buckets;
    private final BucketConfiguration configuration;
    private final int keys;

    Bucket4jWorkload(String redisUri, long limit, int keys) {
        this.client = RedisClient.create(redisUri);
        this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        this.buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(60)))
                .build();
        this.configuration = BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit).refillGreedy(limit, Duration.ofSeconds(60)))
                .build();
        this.keys = keys;
    }

    @Override
    public String name() {
        return "bucket4j token_bucket (lettuce)";
    }

    @Override
    public boolean decide(int thread, long i) {
        String key = "b4j:key-" + Math.floorMod(thread * 7919L + i, keys);
        return buckets.builder().build(key, () -> configuration).tryConsume(1);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
