package dev.blocks.kit.redis;

import io.quarkus.arc.Unremovable;
import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * ElastiCache IAM auth for the Redis client every function injects ({@code io.vertx.redis.client.Redis}), when
 * {@code BLOCKS_REDIS_AUTH=iam}; otherwise the client is exactly the one Quarkus made from {@code quarkus.redis.*}.
 *
 * <p>Why a replacement client: Quarkus 3.33's Redis client has no credentials provider (only a fixed
 * {@code quarkus.redis.password}), and Vert.x copies the password into the client when it is created, while an IAM
 * token is valid for 15 minutes and a Lambda environment lives for hours. So, in iam mode: Quarkus builds its
 * options as usual (hosts, TLS, pool, timeouts); this customizer puts the IAM user into the endpoint (where Vert.x
 * takes the {@code HELLO ... AUTH} user from) and turns hostname verification on; the producer then builds the
 * client from those options itself, keeping the connect options whose (volatile) password Vert.x reads at each new
 * connection, and {@link IamAuthenticatedRedis} sets a fresh token there before every command. TLS comes from the
 * {@code rediss://} scheme alone (Quarkus turns it on for that scheme; no trust store configured means the JVM's).
 */
@Singleton
@Unremovable
class RedisIamWiring implements RedisOptionsCustomizer {

    /** Quarkus's name for the unnamed client (io.quarkus.redis.runtime.client.config.RedisConfig). */
    private static final String DEFAULT_CLIENT = "<default>";

    private final Optional<RedisAuth> auth =
            RedisAuth.configured(key -> ConfigProvider.getConfig().getOptionalValue(key, String.class));
    private final Map<String, RedisOptions> customized = new ConcurrentHashMap<>();

    @Override
    public void customize(String clientName, RedisOptions options) {
        auth.ifPresent(iam -> {
            options.setEndpoints(options.getEndpoints().stream().map(iam::endpointWithUser).toList());
            String verification = options.getNetClientOptions().getHostnameVerificationAlgorithm();
            if (verification == null || verification.isEmpty()) {
                // A bearer token goes to the server: only to the one its certificate names (Quarkus's default is none).
                options.getNetClientOptions().setHostnameVerificationAlgorithm("HTTPS");
            }
            customized.put(clientName, options);
        });
    }

    @Produces
    @Alternative
    @Priority(1)
    @Singleton
    Redis redis(io.vertx.mutiny.redis.client.Redis configured, Vertx vertx) {
        if (auth.isEmpty()) {
            return configured.getDelegate(); // the very client Quarkus made, as without this class
        }
        RedisOptions options = customized.get(DEFAULT_CLIENT);
        if (options == null) {
            throw new IllegalStateException("BLOCKS_REDIS_AUTH=iam, but Quarkus built no default Redis client to take"
                    + " the options from");
        }
        if (options.getType() != RedisClientType.STANDALONE) {
            throw new IllegalStateException("BLOCKS_REDIS_AUTH=iam supports quarkus.redis.client-type=standalone (the"
                    + " ElastiCache Serverless endpoint), not " + options.getType());
        }
        ElastiCacheIamPassword password = new ElastiCacheIamPassword(auth.get().tokens(),
                DefaultCredentialsProvider.builder().build()::resolveCredentials, Clock.systemUTC());
        return IamAuthenticatedRedis.standalone(vertx, options, password);
    }

    void close(@Disposes Redis redis) {
        if (redis instanceof IamAuthenticatedRedis own) {
            own.close(); // Quarkus closes its own client
        }
    }
}
