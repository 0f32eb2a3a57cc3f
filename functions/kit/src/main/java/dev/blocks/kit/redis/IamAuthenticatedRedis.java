package dev.blocks.kit.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnectOptions;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisStandaloneConnectOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.RedisClient;
import java.util.List;

/**
 * A Vert.x Redis client whose every new connection authenticates with a fresh IAM token. The client's connection
 * manager reads the password from its {@link RedisConnectOptions} (a volatile field) each time it opens a
 * connection; this keeps that object and sets the current token into it before every command, so whatever
 * connection the command opens carries a token less than 10 minutes old. Connections already open stay
 * authenticated (ElastiCache closes them after 12 hours; the pool then opens new ones, with a new token).
 */
final class IamAuthenticatedRedis implements Redis {

    private final Redis client;
    private final RedisConnectOptions connectOptions;
    private final ElastiCacheIamPassword password;

    IamAuthenticatedRedis(Redis client, RedisConnectOptions connectOptions, ElastiCacheIamPassword password) {
        this.client = client;
        this.connectOptions = connectOptions;
        this.password = password;
    }

    /**
     * A standalone client on {@code options} (its endpoint naming the IAM user) authenticating with {@code password}.
     * Built from Vert.x's client class directly, not {@code Redis.createClient}, which copies the password away.
     */
    static IamAuthenticatedRedis standalone(Vertx vertx, RedisOptions options, ElastiCacheIamPassword password) {
        RedisStandaloneConnectOptions connect = new RedisStandaloneConnectOptions(options);
        connect.setPassword(password.current()); // signed now: missing credentials fail the init, not a request
        return new IamAuthenticatedRedis(new RedisClient(vertx, options.getNetClientOptions(), options.getPoolOptions(),
                connect, options.getTracingPolicy()), connect, password);
    }

    private void freshToken() {
        connectOptions.setPassword(password.current());
    }

    @Override
    public Future<RedisConnection> connect() {
        freshToken();
        return client.connect();
    }

    @Override
    public Future<Response> send(Request command) {
        freshToken();
        return client.send(command);
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
        freshToken();
        return client.batch(commands);
    }

    @Override
    public void close() {
        client.close();
    }
}
