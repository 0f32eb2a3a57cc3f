package dev.blocks.shortener.store;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unique visitors per code as Redis HyperLogLogs: 12 KiB at most per code whatever the audience, a standard
 * error of 0.81 %, and adding the same visitor twice changes nothing, so a redelivered batch is harmless.
 */
public final class RedisVisitors {

    private final GuardedRedis redis;
    private final String prefix;

    public RedisVisitors(GuardedRedis redis, String keyPrefix) {
        this.redis = redis;
        this.prefix = keyPrefix + "v:";
    }

    /** One PFADD per code, all in one round trip. */
    public void add(Map<String, Set<String>> visitorsByCode) {
        List<Request> requests = new ArrayList<>();
        visitorsByCode.forEach((code, visitors) -> {
            if (!visitors.isEmpty()) {
                Request pfadd = Request.cmd(Command.PFADD).arg(prefix + code);
                visitors.forEach(pfadd::arg);
                requests.add(pfadd);
            }
        });
        if (!requests.isEmpty()) {
            redis.batch(requests);
        }
    }

    public long count(String code) {
        return redis.call(Request.cmd(Command.PFCOUNT).arg(prefix + code)).toLong();
    }

    /** Drops a deleted link's visitors. */
    public void forget(String code) {
        redis.fire(Request.cmd(Command.DEL).arg(prefix + code));
    }
}
