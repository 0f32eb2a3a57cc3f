package dev.blocks.shortener.store;

import dev.blocks.shortener.domain.DurableBlockSource;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.function.LongSupplier;

/**
 * The shared code counter: one {@code INCRBY} reserves a whole block of counter values.
 *
 * <p>Redis may lose the counter (a restarted node, a failover to an empty replica), and a counter that starts over
 * would hand out codes again. So the counter is never created by {@code INCRBY} itself: a script increments it
 * only if it exists, and a missing counter is first restored from the durable high-water mark kept in DynamoDB.
 * A counter that went backwards but still exists (a restored snapshot, a lagging replica) is caught by
 * {@link DurableBlockSource}, which claims every block against that mark and raises the counter
 * ({@link #raiseTo}) when a claim is refused.
 */
public final class RedisCodeCounter implements DurableBlockSource.Counter {

    private static final String INCREMENT_EXISTING =
            "if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end return redis.call('INCRBY', KEYS[1], ARGV[1])";
    private static final String RAISE =
            "local v = tonumber(redis.call('GET', KEYS[1]) or '0') "
                    + "if v < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end return 0";

    private final GuardedRedis redis;
    private final String key;
    private final LongSupplier highWaterMark;

    /** {@code highWaterMark}: reads the durable mark (every value below it may have been handed out). */
    public RedisCodeCounter(GuardedRedis redis, String keyPrefix, LongSupplier highWaterMark) {
        this.redis = redis;
        this.key = keyPrefix + "counter";
        this.highWaterMark = highWaterMark;
    }

    @Override
    public long add(int count) {
        long end = increment(count);
        if (end < 0) {
            redis.call(Request.cmd(Command.SET).arg(key).arg(highWaterMark.getAsLong()).arg("NX"));
            end = increment(count);
            if (end < 0) {
                throw new GuardedRedis.Unavailable("the code counter vanished while it was restored", null);
            }
        }
        return end;
    }

    @Override
    public void raiseTo(long value) {
        redis.call(Request.cmd(Command.EVAL).arg(RAISE).arg(1).arg(key).arg(value));
    }

    private long increment(int count) {
        return redis.call(Request.cmd(Command.EVAL).arg(INCREMENT_EXISTING).arg(1).arg(key).arg(count)).toLong();
    }
}
