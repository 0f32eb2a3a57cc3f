package dev.blocks.localcloud.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorsTest {

    @Test
    void aChosenSetStartsAndStopsTogether(@TempDir Path logs) throws Exception {
        RedisEmulator redis;
        SqsEmulator sqs;
        long redisPid;
        try (Emulators emulators = Emulators.start(List.of(Emulators.REDIS, Emulators.SQS), logs)) {
            assertThat(emulators.byName()).containsOnlyKeys("redis", "sqs");
            redis = emulators.redis();
            sqs = emulators.sqs();
            assertThat(redis.running()).isTrue();
            assertThat(sqs.running()).isTrue();
            assertThat(redis.endpoint()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(sqs.endpoint()).isEqualTo("http://127.0.0.1:" + sqs.port());
            assertThat(emulators.eachStartupTime()).containsOnlyKeys("redis", "sqs");
            assertThatThrownBy(emulators::kafka).isInstanceOf(IllegalArgumentException.class);
            redisPid = redis.pid();
        }

        assertThat(redis.running()).isFalse();
        assertThat(sqs.running()).isFalse();
        assertThat(Processes.running(redisPid)).isFalse();
        assertThat(Ports.free(redis.port())).isTrue();
        assertThat(Ports.free(sqs.port())).isTrue();
        assertThat(logs.resolve("redis.log")).isNotEmptyFile();
    }

    @Test
    void anUnknownNameIsRefusedBeforeAnythingStarts(@TempDir Path logs) {
        assertThatThrownBy(() -> Emulators.start(List.of("sqs", "lambda"), logs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lambda");
    }

    @Test
    void aServerThatCannotStartStopsTheOthers(@TempDir Path logs) throws Exception {
        Path notRedis = logs.resolve("not-redis");
        java.nio.file.Files.writeString(notRedis, "#!/bin/sh\nexit 3\n");
        assertThat(notRedis.toFile().setExecutable(true)).isTrue();
        String previous = System.setProperty(RedisBinary.PROPERTY, notRedis.toString());
        try {
            assertThatThrownBy(() -> Emulators.start(List.of("redis"), logs))
                    .hasMessageContaining("redis exited while starting");
        } finally {
            if (previous == null) {
                System.clearProperty(RedisBinary.PROPERTY);
            } else {
                System.setProperty(RedisBinary.PROPERTY, previous);
            }
        }
    }
}
