package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.metrics.Metrics;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.shortener.domain.CodeAllocator;
import dev.blocks.shortener.domain.CodeScrambler;
import dev.blocks.shortener.domain.DurableBlockSource;
import dev.blocks.shortener.store.GuardedRedis;
import dev.blocks.shortener.store.LinkTable;
import dev.blocks.shortener.store.RedisCodeCounter;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The code counter goes backwards (Redis restored from a snapshot, a failover to a lagging replica): the local
 * cloud's Redis counter, the one links-api uses, is set back under allocators built as links-api builds its own
 * (small blocks, so that many are claimed), and no code comes out twice; links-api then still hands out codes
 * none of them had.
 */
class CounterResetIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final String KEY_PREFIX = Cloud.PREFIX + ":shortener:";

    @Test
    void codesNeverRepeatWhenTheCounterIsSetBack() {
        Endpoints endpoints = CLOUD.endpoints();
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(endpoints.redis()));
        Metrics metrics = new Metrics("blocks", "reset", Duration.ofHours(1), new PrintStream(PrintStream.nullOutputStream()));
        GuardedRedis guarded = new GuardedRedis(redis, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(1), metrics);
        try (DynamoDbClient dynamo = new Api(CLOUD).dynamo()) {
            LinkTable table = new LinkTable(dynamo, Cloud.TABLE);
            // The scrambler key of the test stack's links-api (its public development value).
            CodeScrambler scrambler = CodeScrambler.forCodes(7362128813402948873L);
            Set<String> codes = new HashSet<>();
            Api api = new Api(CLOUD);
            String key = api.issueKey("rosa");
            codes.add(api.created(key, "{\"url\":\"https://example.com/before-reset\"}").path("code").asText());

            CodeAllocator first = allocator(guarded, table, scrambler);
            for (int i = 0; i < 200; i++) {
                assertThat(codes.add(first.next())).isTrue();
            }
            long before = table.counterFloor();
            // Back to where a snapshot might have left it, then to an empty replica's counter.
            guarded.call(Request.cmd(Command.SET).arg(KEY_PREFIX + "counter").arg(before / 2));
            CodeAllocator second = allocator(guarded, table, scrambler);
            for (int i = 0; i < 200; i++) {
                assertThat(codes.add(second.next())).as("code %d after the counter was set back", i).isTrue();
            }
            guarded.call(Request.cmd(Command.SET).arg(KEY_PREFIX + "counter").arg(0));
            for (int i = 0; i < 200; i++) {
                assertThat(codes.add(first.next())).as("code %d after the counter was set to 0", i).isTrue();
            }
            assertThat(table.counterFloor()).isGreaterThan(before);
            assertThat(Long.parseLong(guarded.call(Request.cmd(Command.GET).arg(KEY_PREFIX + "counter")).toString()))
                    .isGreaterThanOrEqualTo(table.counterFloor());

            for (int i = 0; i < 3; i++) {
                String code = api.created(key, "{\"url\":\"https://example.com/after-reset\"}").path("code").asText();
                assertThat(codes.add(code)).as(code).isTrue();
            }
        } finally {
            vertx.close();
        }
    }

    private static CodeAllocator allocator(GuardedRedis redis, LinkTable table, CodeScrambler scrambler) {
        return new CodeAllocator(new DurableBlockSource(new RedisCodeCounter(redis, KEY_PREFIX, table::counterFloor),
                table::claimCodeBlock, 10), 10, scrambler);
    }
}
