package dev.blocks.kit.ratelimit;

import dev.blocks.kit.ratelimit.redis.RedisLimitStore;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x Redis client on the local cloud's redis-server, the way Quarkus's redis-client extension builds one,
 * plus the raw commands tests use to look at what the scripts did.
 */
final class TestRedis implements AutoCloseable {

    private final Vertx vertx;
    private final Redis client;

    private TestRedis(Vertx vertx, Redis client) {
        this.vertx = vertx;
        this.client = client;
    }

    static TestRedis connect(String uri) {
        Vertx vertx = Vertx.vertx();
        RedisOptions options = new RedisOptions().setConnectionString(uri)
                .setMaxPoolSize(32)
                .setMaxPoolWaiting(1024)
                .setMaxWaitingHandlers(4096);
        return new TestRedis(vertx, Redis.createClient(vertx, options));
    }

    Redis client() {
        return client;
    }

    RedisLimitStore store() {
        return RedisLimitStore.of(client);
    }

    Response command(Command command, Object... args) {
        Request request = Request.cmd(command);
        for (Object arg : args) {
            request.arg(arg.toString());
        }
        try {
            return client.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis " + command + " failed", e);
        }
    }

    /** The Redis server's clock, in ms. */
    long serverTimeMillis() {
        Response time = command(Command.TIME);
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }

    /** How many times the server has run EVALSHA since its start or the last CONFIG RESETSTAT. */
    long evalshaCalls() {
        return commandCalls("evalsha");
    }

    long commandCalls(String name) {
        for (String line : command(Command.INFO, "commandstats").toString().split("\r?\n")) {
            if (line.startsWith("cmdstat_" + name + ":")) {
                for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
                    if (field.startsWith("calls=")) {
                        return Long.parseLong(field.substring("calls=".length()));
                    }
                }
            }
        }
        return 0;
    }

    int majorVersion() {
        for (String line : command(Command.INFO, "server").toString().split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return Integer.parseInt(line.substring("redis_version:".length()).split("\\.")[0]);
            }
        }
        throw new IllegalStateException("INFO server names no redis_version");
    }

    @Override
    public void close() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
