package dev.blocks.kit.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the functions authenticate to Redis ({@code blocks.redis.auth}, {@code BLOCKS_REDIS_AUTH}): as configured in
 * {@code quarkus.redis.*} (unset or {@code none}: the local cloud's Redis, an existing Redis given by URL), or
 * {@code iam}: ElastiCache IAM authentication, what Terraform sets for the stack's ElastiCache Serverless, with
 * {@code BLOCKS_REDIS_USER} (the IAM-enabled user), {@code BLOCKS_REDIS_CACHE_NAME} and the function's region.
 *
 * @param user       the IAM-enabled ElastiCache user's id
 * @param cacheName  the serverless cache's name (or the replication group's id when not {@code serverless})
 * @param serverless whether the cache is ElastiCache Serverless ({@code blocks.redis.serverless}, default true)
 * @param region     the cache's region ({@code AWS_REGION}, set by Lambda)
 */
public record RedisAuth(String user, String cacheName, boolean serverless, String region) {

    public static final String AUTH_KEY = "blocks.redis.auth";
    public static final String USER_KEY = "blocks.redis.user";
    public static final String CACHE_NAME_KEY = "blocks.redis.cache-name";
    public static final String SERVERLESS_KEY = "blocks.redis.serverless";

    /**
     * The IAM settings when {@code blocks.redis.auth} is {@code iam}, empty when it is unset, blank or {@code none};
     * any other value, or {@code iam} without user, cache name or region, stops the function at start with a
     * message naming the variable. {@code config} looks a key up in the function's configuration.
     */
    public static Optional<RedisAuth> configured(Function<String, Optional<String>> config) {
        String auth = value(config, AUTH_KEY).orElse("").toLowerCase(Locale.ROOT);
        switch (auth) {
            case "", "none":
                return Optional.empty();
            case "iam":
                break;
            default:
                throw new IllegalStateException("BLOCKS_REDIS_AUTH (" + AUTH_KEY + ") is '"
                        + value(config, AUTH_KEY).orElse("") + "': expected 'none' (or unset) or 'iam'");
        }
        String user = value(config, USER_KEY).orElseThrow(() -> missing("BLOCKS_REDIS_USER (" + USER_KEY + ")"));
        String cache = value(config, CACHE_NAME_KEY)
                .orElseThrow(() -> missing("BLOCKS_REDIS_CACHE_NAME (" + CACHE_NAME_KEY + ")"));
        String region = value(config, "aws.region").orElseThrow(() -> missing("AWS_REGION"));
        String serverless = value(config, SERVERLESS_KEY).orElse("true").toLowerCase(Locale.ROOT);
        if (!serverless.equals("true") && !serverless.equals("false")) {
            throw new IllegalStateException("BLOCKS_REDIS_SERVERLESS (" + SERVERLESS_KEY + ") is '" + serverless
                    + "': expected true or false");
        }
        return Optional.of(new RedisAuth(user, cache, Boolean.parseBoolean(serverless), region));
    }

    private static Optional<String> value(Function<String, Optional<String>> config, String key) {
        return config.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static IllegalStateException missing(String what) {
        return new IllegalStateException("BLOCKS_REDIS_AUTH=iam needs " + what);
    }

    /** The token generator for this cache and user. */
    public ElastiCacheIamToken tokens() {
        return new ElastiCacheIamToken(cacheName, user, serverless, region);
    }

    /**
     * A Redis endpoint ({@code quarkus.redis.hosts}) naming the IAM user in its {@code user} query parameter, which
     * is where the Vert.x client takes the {@code HELLO ... AUTH} user from when the password comes from its options
     * (a user name alone before the {@code @} would be read as a password). Only {@code rediss://} is accepted: the
     * token is a bearer credential for 15 minutes and ElastiCache requires TLS for IAM auth; an endpoint carrying
     * its own credentials is refused (its password would be sent instead of the token).
     */
    public String endpointWithUser(String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("QUARKUS_REDIS_HOSTS is not a URL: " + e.getMessage());
        }
        if (!"rediss".equals(uri.getScheme())) {
            throw new IllegalStateException("BLOCKS_REDIS_AUTH=iam needs TLS: QUARKUS_REDIS_HOSTS must be a rediss:// URL,"
                    + " not " + uri.getScheme() + "://");
        }
        String query = uri.getRawQuery();
        boolean credentialsInQuery = query != null && Arrays.stream(query.split("&"))
                .anyMatch(p -> p.startsWith("user=") || p.startsWith("password="));
        if (uri.getRawUserInfo() != null || credentialsInQuery) {
            throw new IllegalStateException("with BLOCKS_REDIS_AUTH=iam, QUARKUS_REDIS_HOSTS must not carry credentials:"
                    + " the user is BLOCKS_REDIS_USER and the password an IAM token");
        }
        String userParameter = "user=" + URLEncoder.encode(user, StandardCharsets.UTF_8);
        int queryStart = endpoint.indexOf('?');
        return queryStart < 0 ? endpoint + "?" + userParameter
                : endpoint.substring(0, queryStart + 1) + userParameter + "&" + endpoint.substring(queryStart + 1);
    }
}
