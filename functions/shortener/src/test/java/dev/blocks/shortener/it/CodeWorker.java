package dev.blocks.shortener.it;

import dev.blocks.kit.metrics.Metrics;
import dev.blocks.shortener.domain.CodeAllocator;
import dev.blocks.shortener.domain.CodeScrambler;
import dev.blocks.shortener.domain.DurableBlockSource;
import dev.blocks.shortener.domain.Link;
import dev.blocks.shortener.domain.LinkDraft;
import dev.blocks.shortener.store.GuardedRedis;
import dev.blocks.shortener.store.LinkTable;
import dev.blocks.shortener.store.RedisCodeCounter;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One process of the uniqueness test: takes codes the way links-api does (blocks from the shared Redis counter,
 * handed out in process to several threads) and writes every code it got to a file for the test to check. Every
 * {@code storeEvery}-th code is stored as a link with links-api's own write, the conditional put, which would
 * report a code that is already taken. Storing all of them is what DynamoDB Local in the local cloud cannot do
 * in minutes on a small, busy machine (its tables are an SQLite file; each write is a synchronous disk write). The stored codes go to {@code <outFile>.stored}.
 *
 * <p>Arguments: redisUrl dynamodbUrl region accessKey secretKey table keyPrefix codes threads storeEvery outFile
 */
public final class CodeWorker {

    public static void main(String[] args) throws Exception {
        String redisUrl = args[0];
        URI dynamodbUrl = URI.create(args[1]);
        String table = args[5];
        String keyPrefix = args[6];
        int links = Integer.parseInt(args[7]);
        int threads = Integer.parseInt(args[8]);
        int storeEvery = Integer.parseInt(args[9]);
        Path out = Path.of(args[10]);

        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl).setMaxPoolSize(threads)
                .setMaxPoolWaiting(10_000));
        Metrics metrics = new Metrics("blocks", "uniqueness", Duration.ofHours(1), new PrintStream(PrintStream.nullOutputStream()));
        GuardedRedis guarded = new GuardedRedis(redis, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(1), metrics);
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(dynamodbUrl).region(Region.of(args[2]))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[3], args[4])))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            LinkTable linkTable = new LinkTable(dynamo, table);
            CodeAllocator allocator = new CodeAllocator(new DurableBlockSource(
                    new RedisCodeCounter(guarded, keyPrefix, linkTable::counterFloor), linkTable::claimCodeBlock, 10), 1000,
                    CodeScrambler.forCodes(7362128813402948873L));
            LinkDraft draft = new LinkDraft("https://example.com/uniqueness", null, null, null, List.of());
            ConcurrentLinkedQueue<String> codes = new ConcurrentLinkedQueue<>();
            AtomicInteger remaining = new AtomicInteger(links);
            ConcurrentLinkedQueue<String> stored = new ConcurrentLinkedQueue<>();
            AtomicInteger taken = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    int n;
                    while ((n = remaining.getAndDecrement()) > 0) {
                        String code = allocator.next();
                        codes.add(code);
                        if (n % storeEvery == 0) {
                            if (linkTable.create(Link.create(code, draft, "uniqueness", Instant.now()))) {
                                stored.add(code);
                            } else {
                                taken.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            Files.write(out, codes, StandardCharsets.US_ASCII);
            Files.write(Path.of(out + ".stored"), stored, StandardCharsets.US_ASCII);
            System.out.println("codes=" + codes.size() + " stored=" + stored.size() + " taken=" + taken.get());
        } finally {
            redis.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
