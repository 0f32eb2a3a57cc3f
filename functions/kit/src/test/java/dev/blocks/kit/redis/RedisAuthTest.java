package dev.blocks.kit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisAuthTest {

    private static Optional<RedisAuth> configured(Map<String, String> config) {
        return RedisAuth.configured(key -> Optional.ofNullable(config.get(key)));
    }

    private static Map<String, String> iam() {
        Map<String, String> config = new HashMap<>();
        config.put("blocks.redis.auth", "iam");
        config.put("blocks.redis.user", "blocks-functions");
        config.put("blocks.redis.cache-name", "blocks-redis");
        config.put("aws.region", "eu-central-1");
        return config;
    }

    @Test
    void unsetBlankAndNoneLeaveRedisAsConfigured() {
        assertThat(configured(Map.of())).isEmpty();
        assertThat(configured(Map.of("blocks.redis.auth", " "))).isEmpty();
        assertThat(configured(Map.of("blocks.redis.auth", "none", "blocks.redis.user", "ignored"))).isEmpty();
    }

    @Test
    void iamTakesUserCacheAndRegionAndDefaultsToServerless() {
        assertThat(configured(iam())).contains(new RedisAuth("blocks-functions", "blocks-redis", true, "eu-central-1"));

        Map<String, String> group = iam();
        group.put("blocks.redis.serverless", "false");
        assertThat(configured(group).orElseThrow().serverless()).isFalse();
    }

    @Test
    void anUnknownModeIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> configured(Map.of("blocks.redis.auth", "password")))
                .hasMessageContaining("BLOCKS_REDIS_AUTH").hasMessageContaining("'password'");
    }

    @Test
    void iamWithoutUserCacheOrRegionIsRefusedNamingWhatIsMissing() {
        for (var missing : Map.of("blocks.redis.user", "BLOCKS_REDIS_USER", "blocks.redis.cache-name",
                "BLOCKS_REDIS_CACHE_NAME", "aws.region", "AWS_REGION").entrySet()) {
            Map<String, String> config = iam();
            config.remove(missing.getKey());
            assertThatThrownBy(() -> configured(config)).hasMessageContaining(missing.getValue());
        }
        Map<String, String> wrong = iam();
        wrong.put("blocks.redis.serverless", "yes");
        assertThatThrownBy(() -> configured(wrong)).hasMessageContaining("BLOCKS_REDIS_SERVERLESS");
    }

    @Test
    void theUserGoesIntoTheTlsEndpointsQuery() {
        RedisAuth auth = configured(iam()).orElseThrow();

        assertThat(auth.endpointWithUser("rediss://blocks-redis-abc123.serverless.euc1.cache.amazonaws.com:6379"))
                .isEqualTo("rediss://blocks-redis-abc123.serverless.euc1.cache.amazonaws.com:6379?user=blocks-functions");
        assertThat(auth.endpointWithUser("rediss://cache.internal:6379/0?client=links"))
                .isEqualTo("rediss://cache.internal:6379/0?user=blocks-functions&client=links");
    }

    @Test
    void plainTextOrCredentialsInTheEndpointAreRefused() {
        RedisAuth auth = configured(iam()).orElseThrow();

        assertThatThrownBy(() -> auth.endpointWithUser("redis://cache.internal:6379"))
                .hasMessageContaining("rediss://");
        assertThatThrownBy(() -> auth.endpointWithUser("rediss://someone:secret@cache.internal:6379"))
                .hasMessageContaining("must not carry credentials");
        assertThatThrownBy(() -> auth.endpointWithUser("rediss://cache.internal:6379?password=secret"))
                .hasMessageContaining("must not carry credentials");
    }
}
