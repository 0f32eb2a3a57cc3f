package dev.blocks.shortener.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.blocks.kit.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The breaker in front of Redis: one failed call opens it, and until the wait is over calls cost no round trip. */
class GuardedRedisTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void oneFailedCallOpensItAndTheNextIsRefusedWithoutTryingRedis() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:" + closedPort);
        ByteArrayOutputStream emf = new ByteArrayOutputStream();
        Metrics metrics = new Metrics("blocks", "test", Duration.ofHours(1), new PrintStream(emf, true));
        GuardedRedis guarded = new GuardedRedis(redis, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofHours(1), metrics);

        GuardedRedis.Unavailable first = catchThrowableOfType(GuardedRedis.Unavailable.class,
                () -> guarded.call(Request.cmd(Command.PING)));
        GuardedRedis.Unavailable second = catchThrowableOfType(GuardedRedis.Unavailable.class,
                () -> guarded.call(Request.cmd(Command.PING)));

        assertThat(first).as("the call that found Redis down").isNotNull();
        assertThat(first.getCause()).as("Redis's own failure").isNotNull();
        assertThat(second).as("refused by the open breaker").isNotNull();
        assertThat(second.getCause()).as("no call was made").isNull();
        assertThat(second.getMessage()).contains("waiting before the next try");
        metrics.flush();
        assertThat(emf.toString()).contains(MetricNames.REDIS_UNAVAILABLE);
    }
}
