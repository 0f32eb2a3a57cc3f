package dev.blocks.shortener.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.HttpResponse;
import dev.blocks.shortener.domain.CacheTtl;
import dev.blocks.shortener.domain.Click;
import dev.blocks.shortener.domain.CodeAllocator;
import dev.blocks.shortener.domain.CodeScrambler;
import dev.blocks.shortener.domain.DurableBlockSource;
import dev.blocks.shortener.domain.Link;
import dev.blocks.shortener.domain.LinkDraft;
import dev.blocks.shortener.domain.VisitorId;
import dev.blocks.shortener.store.ClickJson;
import dev.blocks.shortener.store.ClickPublisher;
import dev.blocks.shortener.store.GuardedRedis;
import dev.blocks.shortener.store.LinkLookup;
import dev.blocks.shortener.store.LinkTable;
import dev.blocks.shortener.store.LocalLinkCache;
import dev.blocks.shortener.store.Metrics;
import dev.blocks.shortener.store.RedisCodeCounter;
import dev.blocks.shortener.store.RedisLinkCache;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.io.File;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import redis.embedded.RedisServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * One run, one report: redirect throughput on an in-process hit, redirect latency on a Redis hit beside a bare
 * Redis GET on the same server and client, what awaiting a click's ack from a real broker adds to a redirect,
 * create throughput against DynamoDB Local, and code allocations.
 * Everything runs on this machine (redis-server, DynamoDB Local in process); loops are bounded in count.
 */
public final class ShortenerBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "bench-links";

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(Level.WARNING);
        int redisPort = freePort();
        int dynamoPort = freePort();
        AutoCloseable redisServer = redisServer(redisPort);
        DynamoDBProxyServer dynamoServer = ServerRunner.createServerFromCommandLineArgs(new String[] {
                "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(dynamoPort)});
        dynamoServer.start();
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + redisPort)
                .setMaxPoolSize(8).setMaxPoolWaiting(10_000));
        DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + dynamoPort))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"))).build();
        try {
            createTable(dynamo);
            new ShortenerBench(redis, dynamo).run();
        } finally {
            dynamo.close();
            redis.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
            dynamoServer.stop();
            redisServer.close();
        }
        System.exit(0);
    }

    private final Metrics metrics = new Metrics("bench", 3600, new PrintStream(PrintStream.nullOutputStream()));
    private final GuardedRedis redis;
    private final LinkTable table;
    private final RedisLinkCache redisCache;
    private final CodeAllocator allocator;
    private final ClickPublisher noStream;

    private ShortenerBench(Redis redis, DynamoDbClient dynamo) {
        this.redis = new GuardedRedis(redis, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1), metrics);
        this.table = new LinkTable(dynamo, TABLE);
        this.redisCache = new RedisLinkCache(this.redis, "bench:", new CacheTtl(Duration.ofMinutes(30), 0.2),
                new CacheTtl(Duration.ofSeconds(30), 0.2));
        this.allocator = new CodeAllocator(new DurableBlockSource(
                new RedisCodeCounter(this.redis, "bench:", table::counterFloor), table::claimCodeBlock, 10), 1000,
                CodeScrambler.forCodes(42));
        // Publishing is measured apart (click encode); here a click is only counted as dropped.
        this.noStream = new ClickPublisher("", "clicks", Duration.ZERO, Duration.ofMillis(200), 10_000, metrics);
    }

    private void run() throws Exception {
        System.out.printf("shortener bench: %d cores, Java %s, redis-server on loopback, DynamoDB Local in process%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.println("load average at start: " + loadAverage());

        double allocations = codeAllocations();
        double[] creates = creates();
        double[] inProcess = inProcessRedirects();
        double encode = clickEncodes();
        long[][] latencies = redisHitVersusBareGet();
        long[][] clicks = clickDelivery();

        System.out.println();
        System.out.println("| measure | result |");
        System.out.println("|---|---|");
        System.out.printf("| code allocations (1 thread, INCRBY per 1000) | %,.0f codes/s |%n", allocations);
        System.out.printf("| create, 1 thread (validate-free core: code + conditional put) | %,.0f links/s |%n", creates[0]);
        System.out.printf("| create, 4 threads | %,.0f links/s |%n", creates[1]);
        System.out.printf("| redirect, in-process hit, 1 thread (handler, click publishing excluded) | %,.0f ops/s |%n", inProcess[0]);
        System.out.printf("| redirect, in-process hit, 2 threads | %,.0f ops/s |%n", inProcess[1]);
        System.out.printf("| click event encode | %,.0f ns/op |%n", encode);
        long[] redirect = latencies[0];
        long[] bare = latencies[1];
        System.out.printf("| redirect, Redis hit: p50 / p99 | %s / %s |%n", micros(redirect[0]), micros(redirect[1]));
        System.out.printf("| bare Redis GET, same server and client: p50 / p99 | %s / %s |%n", micros(bare[0]), micros(bare[1]));
        System.out.printf("| ratio redirect / bare GET: p50 / p99 | %.2f / %.2f |%n",
                redirect[0] / (double) bare[0], redirect[1] / (double) bare[1]);
        System.out.printf("| redirect, in-process hit, click awaited from a KRaft broker: p50 / p99 | %s / %s |%n",
                micros(clicks[0][0]), micros(clicks[0][1]));
        System.out.printf("| the same redirect, no click stream: p50 / p99 | %s / %s |%n",
                micros(clicks[1][0]), micros(clicks[1][1]));
        System.out.printf("| added by awaiting the click (Lambda freezes after the response): p50 / p99 | %s / %s |%n",
                micros(clicks[0][0] - clicks[1][0]), micros(clicks[0][1] - clicks[1][1]));
        System.out.println("degraded-path counters: " + metrics.totals());
        System.out.println("load average at end: " + loadAverage());
    }

    private double codeAllocations() {
        for (int i = 0; i < 200_000; i++) {
            allocator.next();
        }
        int n = 2_000_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            allocator.next();
        }
        return n / seconds(start);
    }

    private double[] creates() throws Exception {
        Creation creation = new Creation(allocator, table, redisCache, metrics, 5);
        LinkDraft draft = new LinkDraft("https://example.com/bench/create?q=1", null, null, null, List.of("bench"));
        for (int i = 0; i < 2_000; i++) {
            creation.create(draft, "bench", Instant.now());
        }
        int n = 5_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            creation.create(draft, "bench", Instant.now());
        }
        double single = n / seconds(start);
        double parallel = parallel(4, 10_000, () -> creation.create(draft, "bench", Instant.now()));
        return new double[] {single, parallel};
    }

    private double[] inProcessRedirects() throws Exception {
        Link link = new Creation(allocator, table, redisCache, metrics, 5).create(
                new LinkDraft("https://example.com/hot", null, null, null, List.of()), "bench", Instant.now());
        LocalLinkCache local = new LocalLinkCache(10_000, new CacheTtl(Duration.ofMinutes(10), 0.2),
                new CacheTtl(Duration.ofSeconds(1), 0.2), Duration.ofMinutes(15));
        Redirect redirect = new Redirect(new LinkLookup(local, redisCache, table, metrics), table, noStream,
                new VisitorId("bench"), metrics, MissLimit.NONE);
        HttpRequest request = HttpRequest.fromEvent(event(link.code()));
        check(redirect.handle(request), link.url());
        for (int i = 0; i < 500_000; i++) {
            redirect.handle(request);
        }
        int n = 3_000_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            redirect.handle(request);
        }
        double single = n / seconds(start);
        double parallel = parallel(2, 4_000_000, () -> redirect.handle(request));
        return new double[] {single, parallel};
    }

    private double clickEncodes() {
        Click click = new Click("aB3dE5f", Instant.now(), "https://news.example/story", "0123456789abcdef",
                "Mozilla/5.0 (X11; Linux x86_64)", "DE");
        long sink = 0;
        for (int i = 0; i < 500_000; i++) {
            sink += ClickJson.encode(click).length;
        }
        int n = 2_000_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += ClickJson.encode(click).length;
        }
        double nanos = (System.nanoTime() - start) / (double) n;
        return sink > 0 ? nanos : nanos;
    }

    /**
     * What awaiting the click's ack adds to a redirect: the same in-process hit, with a publisher to a real broker
     * on loopback (linger 0, acks=1, as deployed) and with none, interleaved in rounds.
     */
    private long[][] clickDelivery() throws Exception {
        dev.blocks.localcloud.emulators.KafkaEmulator kafka = new dev.blocks.localcloud.emulators.KafkaEmulator();
        kafka.start();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", kafka.endpoint()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("bench-clicks", 1, (short) 1)))
                    .all().get();
        }
        try (ClickPublisher stream = new ClickPublisher(kafka.endpoint(), "bench-clicks", Duration.ZERO,
                Duration.ofMillis(200), 10_000, metrics)) {
            Link link = new Creation(allocator, table, redisCache, metrics, 5).create(
                    new LinkDraft("https://example.com/clicked", null, null, null, List.of()), "bench", Instant.now());
            LocalLinkCache local = new LocalLinkCache(10_000, new CacheTtl(Duration.ofMinutes(10), 0.2),
                    new CacheTtl(Duration.ofMinutes(10), 0.2), Duration.ofMinutes(15));
            LinkLookup lookup = new LinkLookup(local, redisCache, table, metrics);
            Redirect awaited = new Redirect(lookup, table, stream, new VisitorId("bench"), metrics, MissLimit.NONE);
            Redirect bare = new Redirect(lookup, table, noStream, new VisitorId("bench"), metrics, MissLimit.NONE);
            HttpRequest request = HttpRequest.fromEvent(event(link.code()));
            check(awaited.handle(request), link.url());
            for (int i = 0; i < 5_000; i++) {
                awaited.handle(request);
                bare.handle(request);
            }
            int rounds = 20;
            int perRound = 500;
            long[] awaitedNanos = new long[rounds * perRound];
            long[] bareNanos = new long[rounds * perRound];
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < perRound; i++) {
                    long start = System.nanoTime();
                    awaited.handle(request);
                    awaitedNanos[round * perRound + i] = System.nanoTime() - start;
                }
                for (int i = 0; i < perRound; i++) {
                    long start = System.nanoTime();
                    bare.handle(request);
                    bareNanos[round * perRound + i] = System.nanoTime() - start;
                }
            }
            return new long[][] {percentiles(awaitedNanos), percentiles(bareNanos)};
        } finally {
            kafka.stop();
        }
    }

    /**
     * Redirects whose link is in Redis but not in process (the in-process cache keeps one entry and the codes
     * cycle), interleaved in rounds with bare GETs of the same keys, so that both see the same server state.
     */
    private long[][] redisHitVersusBareGet() throws Exception {
        int links = 5_000;
        List<Link> created = new ArrayList<>(links);
        Creation creation = new Creation(allocator, table, redisCache, metrics, 5);
        for (int i = 0; i < links; i++) {
            Link link = creation.create(new LinkDraft("https://example.com/cold/" + i, null, null, null, List.of()),
                    "bench", Instant.now());
            redisCache.fill(link);
            created.add(link);
        }
        while (redis.call(Request.cmd(Command.EXISTS).arg("bench:l:" + created.get(links - 1).code())).toLong() == 0) {
            Thread.sleep(10);
        }
        LocalLinkCache oneEntry = new LocalLinkCache(1, new CacheTtl(Duration.ofMillis(1), 0),
                new CacheTtl(Duration.ofMillis(1), 0), Duration.ofMillis(1));
        LinkLookup lookup = new LinkLookup(oneEntry, redisCache, table, metrics);
        Redirect redirect = new Redirect(lookup, table, noStream, new VisitorId("bench"), metrics, MissLimit.NONE);
        List<HttpRequest> requests = new ArrayList<>(links);
        for (Link link : created) {
            requests.add(HttpRequest.fromEvent(event(link.code())));
        }
        int rounds = 40;
        int perRound = 1_000;
        long[] redirectNanos = new long[rounds * perRound];
        long[] getNanos = new long[rounds * perRound];
        int cursor = 0;
        // warm-up of both paths
        for (int i = 0; i < 20_000; i++) {
            redirect.handle(requests.get(i % links));
            redis.call(Request.cmd(Command.GET).arg("bench:l:" + created.get(i % links).code()));
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < perRound; i++) {
                int index = (round * perRound + i) % links;
                HttpRequest request = requests.get(index);
                long start = System.nanoTime();
                redirect.handle(request);
                redirectNanos[cursor + i] = System.nanoTime() - start;
            }
            for (int i = 0; i < perRound; i++) {
                String key = "bench:l:" + created.get((round * perRound + i) % links).code();
                long start = System.nanoTime();
                redis.call(Request.cmd(Command.GET).arg(key));
                getNanos[cursor + i] = System.nanoTime() - start;
            }
            cursor += perRound;
        }
        // What the timed redirects did: the same lookups, checked for where their answer came from.
        Thread.sleep(5);
        for (int i = 0; i < 1_000; i++) {
            LinkLookup.Source source = lookup.find(created.get(i).code()).source();
            if (source != LinkLookup.Source.REDIS) {
                throw new IllegalStateException("lookup " + i + " was answered by " + source + ", not Redis");
            }
        }
        return new long[][] {percentiles(redirectNanos), percentiles(getNanos)};
    }

    private static long[] percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new long[] {sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)]};
    }

    private static double parallel(int threads, int total, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger remaining = new AtomicInteger(total);
            List<Future<?>> work = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    while (remaining.getAndDecrement() > 0) {
                        task.run();
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            return total / seconds(start);
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Task {
        void run() throws Exception;
    }

    private static JsonNode event(String code) {
        return JSON.valueToTree(Map.of(
                "routeKey", "GET /{code}",
                "rawPath", "/" + code,
                "pathParameters", Map.of("code", code),
                "headers", Map.of("user-agent", "bench", "referer", "https://news.example/story"),
                "requestContext", Map.of("requestId", "bench", "http", Map.of("method", "GET", "sourceIp", "198.51.100.7"))));
    }

    private static void check(HttpResponse response, String url) {
        if (response.status() != 302 || !url.equals(response.headers().get("location"))) {
            throw new IllegalStateException("unexpected answer " + response);
        }
    }

    private static void createTable(DynamoDbClient dynamo) {
        dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
    }

    /** The system's redis-server when there is one (what the local cloud runs too), else the embedded build. */
    private static AutoCloseable redisServer(int port) throws Exception {
        for (String path : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (new File(path).canExecute()) {
                Process process = new ProcessBuilder(path, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                awaitPort(port);
                return () -> {
                    process.destroy();
                    process.waitFor();
                };
            }
        }
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
        server.start();
        return server::stop;
    }

    private static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("redis-server did not listen on " + port);
                }
                Thread.sleep(20);
            }
        }
    }

    /** Other work on the machine skews every number: the report says how busy it was. */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String micros(long nanos) {
        return String.format("%.1f µs", nanos / 1000.0);
    }
}
