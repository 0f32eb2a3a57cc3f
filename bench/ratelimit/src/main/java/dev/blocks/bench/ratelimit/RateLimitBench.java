package dev.blocks.bench.ratelimit;

import dev.blocks.kit.ratelimit.Algorithm;
import dev.blocks.kit.ratelimit.redis.RedisLimitStore;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Decisions per second and latency per decision, in one run on one redis-server at one concurrency, for: each
 * algorithm through the kit's {@code RateLimiter}, three layered rules in one call, Bucket4j's Redis token bucket
 * over Lettuce, and redis-benchmark running the kit's own script with the same arguments (the ceiling).
 *
 * <p>Each workload runs {@code rounds} times, interleaved with its ceiling, and the median run is reported, so
 * that a burst of load from elsewhere on the machine skews one round rather than one side of a comparison.
 *
 * <pre>
 * mvn -B -q -f bench/ratelimit/pom.xml compile exec:java -Dexec.args="--concurrency 64"
 * </pre>
 * Options: {@code --redis redis://host:port} (default: start a redis-server of its own), {@code --concurrency N}
 * (threads, and redis-benchmark connections; 64), {@code --seconds S} measured per round (5, after
 * {@code --warmup} 2), {@code --rounds R} (3), {@code --keys K} distinct API keys (10 000), {@code --pool P} Vert.x
 * connections (32).
 */
public final class RateLimitBench {

    private static final long LIMIT = 100_000;

    /** Something measured once per round. */
    private interface Measurement {
        Sample measure() throws Exception;
    }

    private RateLimitBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "64"));
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "5")));
        Duration warmUp = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "2")));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int keys = Integer.parseInt(options.getOrDefault("keys", "10000"));
        int pool = Integer.parseInt(options.getOrDefault("pool", "32"));

        RedisServerProcess own = options.containsKey("redis") ? null : RedisServerProcess.start();
        String uri = own == null ? options.get("redis") : "redis://127.0.0.1:" + own.port();
        URI parsed = URI.create(uri);
        Vertx vertx = Vertx.vertx();
        try (Bucket4jWorkload bucket4j = new Bucket4jWorkload(uri, LIMIT, keys)) {
            Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(uri)
                    .setMaxPoolSize(pool).setMaxPoolWaiting(concurrency * 4).setMaxWaitingHandlers(concurrency * 16));
            RedisLimitStore store = RedisLimitStore.of(redis);
            store.load().toCompletableFuture().get(10, TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "redis %s, %d threads, %d rounds of %d s measured after %d s warm-up (median"
                    + " reported), %d keys, Vert.x pool %d, %d cores%n", uri, concurrency, rounds, measure.toSeconds(),
                    warmUp.toSeconds(), keys, pool, Runtime.getRuntime().availableProcessors());

            // A throwaway pass over every client path, so that the first measured group does not pay for class
            // loading and the JIT on behalf of the others.
            for (Algorithm algorithm : Algorithm.values()) {
                LoadRun.run(KitWorkload.single(store, algorithm, LIMIT, keys), concurrency, warmUp, warmUp);
            }
            LoadRun.run(KitWorkload.layered(store, keys), concurrency, warmUp, warmUp);
            LoadRun.run(bucket4j, concurrency, warmUp, warmUp);

            List<String[]> rows = new ArrayList<>();
            Sample kitTokenBucket = null;
            Sample bucket4jTokenBucket = null;
            for (Algorithm algorithm : Algorithm.values()) {
                KitWorkload kit = KitWorkload.single(store, algorithm, LIMIT, keys);
                List<RedisBenchmarkCeiling.ScriptRule> script = List.of(scriptRule(algorithm, "bench-" + algorithm.jsonName(), LIMIT, 0));
                List<Measurement> group = new ArrayList<>();
                group.add(() -> LoadRun.run(kit, concurrency, warmUp, measure).sample());
                group.add(() -> RedisBenchmarkCeiling.run("redis-benchmark " + algorithm.jsonName(), parsed.getHost(),
                        parsed.getPort(), concurrency, requests(measure), keys, store.scriptSha(), script));
                if (algorithm == Algorithm.TOKEN_BUCKET) {
                    group.add(() -> LoadRun.run(bucket4j, concurrency, warmUp, measure).sample());
                }
                List<Sample> medians = medians(group, rounds, redis);
                Sample ceiling = medians.get(1);
                for (Sample sample : medians) {
                    rows.add(row(sample, ceiling));
                }
                if (algorithm == Algorithm.TOKEN_BUCKET) {
                    kitTokenBucket = medians.get(0);
                    bucket4jTokenBucket = medians.get(2);
                }
            }
            KitWorkload layered = KitWorkload.layered(store, keys);
            List<RedisBenchmarkCeiling.ScriptRule> layeredScript = List.of(
                    scriptRule(Algorithm.GCRA, "bench-global", 1_000_000_000, 0),
                    scriptRule(Algorithm.TOKEN_BUCKET, "bench-key", 1_000_000, 1_000),
                    scriptRule(Algorithm.SLIDING_WINDOW, "bench-route", 1_000_000, 0));
            List<Sample> layeredMedians = medians(List.of(
                    () -> LoadRun.run(layered, concurrency, warmUp, measure).sample(),
                    () -> RedisBenchmarkCeiling.run("redis-benchmark layered (3 rules)", parsed.getHost(), parsed.getPort(),
                            concurrency, requests(measure), keys, store.scriptSha(), layeredScript)), rounds, redis);
            for (Sample sample : layeredMedians) {
                rows.add(row(sample, layeredMedians.get(1)));
            }

            System.out.println();
            System.out.println("| workload | decisions/s | p50 µs | p99 µs | share of the redis-benchmark ceiling |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (String[] r : rows) {
                System.out.println("| " + String.join(" | ", r) + " |");
            }
            System.out.printf(Locale.ROOT, "%nkit token_bucket / bucket4j token_bucket: %.2f× decisions/s%n",
                    kitTokenBucket.perSecond() / bucket4jTokenBucket.perSecond());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (own != null) {
                own.close();
            }
        }
    }

    /** Runs the group's measurements round after round, on an empty Redis each time; the median of each. */
    private static List<Sample> medians(List<Measurement> group, int rounds, Redis redis) throws Exception {
        List<List<Sample>> samples = new ArrayList<>();
        group.forEach(m -> samples.add(new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < group.size(); i++) {
                flush(redis);
                Sample sample = group.get(i).measure();
                System.out.printf(Locale.ROOT, "  round %d %-34s %,10.0f/s  p50 %6.0f µs  p99 %6.0f µs%n", round + 1,
                        sample.name(), sample.perSecond(), sample.p50Micros(), sample.p99Micros());
                samples.get(i).add(sample);
            }
        }
        List<Sample> medians = new ArrayList<>();
        for (List<Sample> runs : samples) {
            runs.sort(Comparator.comparingDouble(Sample::perSecond));
            medians.add(runs.get(runs.size() / 2));
        }
        return medians;
    }

    /** redis-benchmark is told a number of requests; about what the kit manages in a round at this machine's pace. */
    private static long requests(Duration measure) {
        return 15_000 * measure.toSeconds();
    }

    /** The arguments RedisLimitStore sends for a rule keyed by API key (see decide.lua). */
    private static RedisBenchmarkCeiling.ScriptRule scriptRule(Algorithm algorithm, String id, long limit, long burst) {
        String code = switch (algorithm) {
            case TOKEN_BUCKET -> "tb";
            case SLIDING_WINDOW -> "sw";
            case FIXED_WINDOW -> "fw";
            case SLIDING_LOG -> "sl";
            case GCRA -> "gc";
        };
        return new RedisBenchmarkCeiling.ScriptRule("{rl}:" + id + ":" + code + limit + "/60s:k=", code, limit, 60_000, burst);
    }

    private static String[] row(Sample sample, Sample ceiling) {
        return new String[] {sample.name(), String.format(Locale.ROOT, "%,.0f", sample.perSecond()),
                String.format(Locale.ROOT, "%.0f", sample.p50Micros()), String.format(Locale.ROOT, "%.0f", sample.p99Micros()),
                String.format(Locale.ROOT, "%.0f %%", sample.perSecond() / ceiling.perSecond() * 100)};
    }

    private static void flush(Redis redis) throws Exception {
        redis.send(Request.cmd(Command.FLUSHALL)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
