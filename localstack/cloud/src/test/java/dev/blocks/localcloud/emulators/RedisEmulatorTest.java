package dev.blocks.localcloud.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

@ExtendWith(SharedEmulators.class)
class RedisEmulatorTest {

    /** Reads TIME and then writes: Redis 6.2 needs script effects replication for that, Redis 7 always has it. */
    private static final String STAMP_AND_COUNT = """
            redis.replicate_commands()
            local now = redis.call('TIME')
            redis.call('SET', KEYS[1] .. ':at', now[1])
            return redis.call('INCRBY', KEYS[1], ARGV[1])
            """;

    @Test
    void luaScriptRunsAndTheServerComesBackOnTheSamePortAfterStopAndKill(Emulators emulators) throws Exception {
        RedisEmulator redis = emulators.redis();
        String endpoint = redis.endpoint();
        assertThat(runScript(redis)).isEqualTo(5L);
        assertThat(runScript(redis)).isEqualTo(10L);

        long stoppedPid = redis.pid();
        redis.stop();
        redis.stop();
        assertThat(redis.running()).isFalse();
        assertThat(Processes.running(stoppedPid)).isFalse();
        assertThat(Ports.free(redis.port())).isTrue();
        redis.start();
        assertThat(redis.endpoint()).isEqualTo(endpoint);
        assertThat(runScript(redis)).as("nothing is persisted across a restart").isEqualTo(5L);

        long killedPid = redis.pid();
        redis.kill();
        assertThat(redis.running()).isFalse();
        assertThat(Processes.running(killedPid)).isFalse();
        assertThat(Ports.free(redis.port())).isTrue();
        redis.start();
        assertThat(redis.endpoint()).isEqualTo(endpoint);
        assertThat(runScript(redis)).isEqualTo(5L);
    }

    @Test
    void theEmbeddedRedisBinaryRunsWhenForced(@TempDir Path logs) throws Exception {
        String previous = System.setProperty(RedisBinary.PROPERTY, "embedded");
        try {
            RedisEmulator redis = new RedisEmulator(logs, "redis-emulator-test");
            try {
                assertThat(redis.binary()).isEqualTo(RedisBinary.embedded());
                redis.start();
                assertThat(runScript(redis)).isEqualTo(5L);
                try (Jedis jedis = connect(redis)) {
                    assertThat(jedis.info("server")).contains("redis_version:6.2");
                }
            } finally {
                redis.close();
            }
            assertThat(redis.running()).isFalse();
            assertThat(Ports.free(redis.port())).isTrue();
        } finally {
            if (previous == null) {
                System.clearProperty(RedisBinary.PROPERTY);
            } else {
                System.setProperty(RedisBinary.PROPERTY, previous);
            }
        }
    }

    private static long runScript(RedisEmulator redis) {
        try (Jedis jedis = connect(redis)) {
            return (Long) jedis.eval(STAMP_AND_COUNT, List.of("counter"), List.of("5"));
        }
    }

    private static Jedis connect(RedisEmulator redis) {
        return new Jedis("127.0.0.1", redis.port());
    }
}
