package dev.blocks.shortener.store;

import dev.blocks.shortener.domain.CodeAllocator;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * The shared code counter: one {@code INCRBY} reserves a whole block of counter values.
 *
 * <p>Redis may lose the counter (a restarted node, a failover to an empty replica), and a counter that starts over
 * would hand out codes again. So the counter is never created by {@code INCRBY} itself: a script increments it
 * only if it exists, and a missing counter is first restored from a floor kept in DynamoDB. The floor is raised
 * ahead of the counter ({@code floorMargin} values at a time, one DynamoDB write per that many codes), so that
 * every block handed out ends below it: restoring to the floor skips, never repeats.
 */
public final class RedisCodeCounter implements CodeAllocator.BlockSource {

    /** Durable lower bound of the counter. */
    public interface Floor {
        long read();

        /** Raises the floor to {@code value} unless it is already at least that. */
        void raiseTo(long value);
    }

    private static final String INCREMENT_EXISTING =
            "if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end return redis.call('INCRBY', KEYS[1], ARGV[1])";

    private final GuardedRedis redis;
    private final String key;
    private final Floor floor;
    private final long floorMargin;
    private long knownFloor = -1;

    public RedisCodeCounter(GuardedRedis redis, String keyPrefix, Floor floor, long floorMargin) {
        this.redis = redis;
        this.key = keyPrefix + "counter";
        this.floor = floor;
        this.floorMargin = floorMargin;
    }

    @Override
    public synchronized long reserve(int count) {
        long end = increment(count);
        if (end < 0) {
            long restored = floor.read();
            knownFloor = restored;
            redis.call(Request.cmd(Command.SET).arg(key).arg(restored).arg("NX"));
            end = increment(count);
            if (end < 0) {
                throw new GuardedRedis.Unavailable("the code counter vanished while it was restored", null);
            }
        }
        if (end > knownFloor) {
            long raised = end + floorMargin;
            floor.raiseTo(raised);
            knownFloor = raised;
        }
        return end;
    }

    private long increment(int count) {
        return redis.call(Request.cmd(Command.EVAL).arg(INCREMENT_EXISTING).arg(1).arg(key).arg(count)).toLong();
    }
}
