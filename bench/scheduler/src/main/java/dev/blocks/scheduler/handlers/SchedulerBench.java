package dev.blocks.scheduler.handlers;

import com.sun.net.httpserver.HttpServer;
import dev.blocks.kit.net.OutboundGuard;
import dev.blocks.kit.net.PinnedAddress;
import dev.blocks.kit.secrets.AesGcmCipher;
import dev.blocks.scheduler.domain.Backoff;
import dev.blocks.scheduler.domain.CatchUp;
import dev.blocks.scheduler.domain.DueBuckets;
import dev.blocks.scheduler.domain.FunctionWait;
import dev.blocks.scheduler.domain.Job;
import dev.blocks.scheduler.domain.JobIds;
import dev.blocks.scheduler.domain.JobStatus;
import dev.blocks.scheduler.domain.OneTime;
import dev.blocks.scheduler.domain.OwnerShards;
import dev.blocks.scheduler.domain.Overlap;
import dev.blocks.scheduler.domain.Run;
import dev.blocks.scheduler.domain.ShardRange;
import dev.blocks.scheduler.domain.Target;
import dev.blocks.scheduler.domain.TargetRules;
import dev.blocks.scheduler.store.DueIndex;
import dev.blocks.scheduler.store.JobTable;
import dev.blocks.scheduler.store.RunLedger;
import dev.blocks.scheduler.store.RunMessage;
import dev.blocks.scheduler.store.RunQueue;
import dev.blocks.scheduler.store.SealedHeaders;
import dev.blocks.scheduler.targets.FunctionDelivery;
import dev.blocks.scheduler.targets.HttpDelivery;
import dev.blocks.scheduler.targets.QueueDelivery;
import dev.blocks.scheduler.targets.Targets;
import dev.blocks.scheduler.targets.TopicDelivery;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * The scheduler's two phases on this machine, in one JVM: DynamoDB Local and ElasticMQ in process, the real
 * store, dispatcher tick and worker code, an HTTP target on loopback. N jobs fall due spread over a window; the
 * dispatcher ticks every cadence (as EventBridge would), worker threads poll the run queue in batches (as the
 * event source mapping does) and run each batch side by side (as one worker invocation does). Prints the
 * dispatcher's rate (runs claimed and sent per second of tick time) beside a baseline measured in the same process
 * (bare conditional writes per second to the same DynamoDB Local), and the lateness distribution as the target
 * received the calls, and as the run records' startedAt says.
 *
 * <p>Arguments ({@code key=value}): jobs (20000), window (60 s), lead (120 s until the first is due, room to store them all), cadence
 * (10 s), shards (16), pollers (16 worker polling threads, each standing for one concurrent worker invocation),
 * batch (100 messages per invocation, gathered for up to 1 s as the event source mapping's batching window does, and
 * run side by side), early (2 s, how long before its time a run's message arrives).
 */
public final class SchedulerBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], kv[1]);
        }
        int jobs = Integer.parseInt(options.getOrDefault("jobs", "20000"));
        Duration window = Duration.ofSeconds(Long.parseLong(options.getOrDefault("window", "60")));
        Duration lead = Duration.ofSeconds(Long.parseLong(options.getOrDefault("lead", "120")));
        Duration cadence = Duration.ofSeconds(Long.parseLong(options.getOrDefault("cadence", "10")));
        int shards = Integer.parseInt(options.getOrDefault("shards", "16"));
        int pollers = Integer.parseInt(options.getOrDefault("pollers", "16"));
        int batchSize = Integer.parseInt(options.getOrDefault("batch", "100"));
        Duration early = Duration.ofSeconds(Long.parseLong(options.getOrDefault("early", "2")));
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);

        int dynamoPort = freePort();
        DynamoDBProxyServer dynamoServer = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(dynamoPort)});
        dynamoServer.start();
        int sqsPort = freePort();
        SQSRestServer sqsServer = SQSRestServerBuilder.withPort(sqsPort).withInterface("127.0.0.1")
                .withAWSRegion("us-east-1").withAWSAccountId("000000000000").start();
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        target.setExecutor(Executors.newFixedThreadPool(16));
        List<Long> received = Collections.synchronizedList(new ArrayList<>());
        target.createContext("/", exchange -> {
            Instant now = Instant.now();
            String scheduled = exchange.getRequestHeaders().getFirst("X-Job-Scheduled-At");
            if (scheduled != null && "1".equals(exchange.getRequestHeaders().getFirst("X-Job-Attempt"))) {
                received.add(Duration.between(Instant.parse(scheduled), now).toMillis());
            }
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        target.start();

        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"));
        DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + dynamoPort))
                .region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        SqsClient sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + sqsPort))
                .region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        createTable(dynamo);
        sqs.createQueue(b -> b.queueName("bench-runs").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60")));
        sqs.createQueue(b -> b.queueName("bench-runs-dlq"));

        DueBuckets buckets = new DueBuckets(Duration.ofSeconds(60), shards);
        JobTable table = new JobTable(dynamo, "bench-jobs", new OwnerShards(8));
        DueIndex index = new DueIndex(dynamo, "bench-jobs");
        RunLedger ledger = new RunLedger(dynamo, "bench-jobs", Duration.ofDays(1));
        RunQueue queue = new RunQueue(sqs, "bench-runs", "bench-runs-dlq");
        OutboundGuard guard = new OutboundGuard(Set.of("127.0.0.1"), PinnedAddress.HostResolver.SYSTEM);
        TargetRules rules = new TargetRules("bench", Set.of(), guard, Set.of(), Set.of(), Set.of());
        // The bench's HTTP targets carry no headers: nothing is sealed, so the cipher's key is never used.
        SealedHeaders sealedHeaders = new SealedHeaders(new AesGcmCipher(java.util.Base64.getEncoder().encodeToString(new byte[32])));
        Targets targets = new Targets(rules, new QueueDelivery(sqs), new TopicDelivery("", Duration.ofSeconds(5)),
                new HttpDelivery(guard, sealedHeaders, Duration.ofSeconds(10), pollers * batchSize),
                new FunctionDelivery(LambdaClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                        new FunctionWait(Duration.ofSeconds(10), Duration.ofSeconds(53)), Clock.systemUTC()));
        ExecutorService dispatchThreads = Executors.newFixedThreadPool(16, Wiring.daemons("dispatch"));
        DispatchTick tick = new DispatchTick(index, table, ledger, queue, buckets, new CatchUp(Duration.ofHours(1)),
                new DispatchTick.Settings(cadence, cadence, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(2), 120, early),
                dispatchThreads, Clock.systemUTC());
        Heartbeat heartbeat = new Heartbeat(Executors.newSingleThreadScheduledExecutor(Wiring.daemons("heartbeat")), Duration.ofSeconds(60));
        RunExecutor executor = new RunExecutor(ledger, queue, targets,
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(15), 0.2, () -> ThreadLocalRandom.current().nextDouble()),
                heartbeat, Clock.systemUTC(), Executors.newFixedThreadPool(pollers * batchSize, Wiring.daemons("job-writes")),
                new Admission(buckets, cadence.plus(cadence).plus(Duration.ofSeconds(5)), Duration.ofMinutes(2), early),
                new CatchUp(Duration.ofHours(1)), index);

        // Jobs due evenly over the window, starting `lead` from now; stored as jobs-api stores a future job.
        Instant first = Instant.now().plus(lead).truncatedTo(ChronoUnit.SECONDS);
        Target http = new Target.Http("http://127.0.0.1:" + target.getAddress().getPort() + "/run", "POST", Map.of());
        List<Job> created = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            Instant at = first.plusMillis(window.toMillis() * i / jobs);
            created.add(new Job(JobIds.random(), "bench", null, new OneTime(at), http, "{\"i\":" + i + "}", 3, Overlap.SKIP,
                    JobStatus.SCHEDULED, Instant.now(), at, null, null, null, null));
        }
        long insertStart = System.nanoTime();
        ExecutorService writers = Executors.newFixedThreadPool(16);
        List<Future<?>> writes = new ArrayList<>();
        for (Job job : created) {
            writes.add(writers.submit(() -> table.create(job, buckets.keyOf(job.jobId(), job.nextRunAt()), null, null)));
        }
        for (Future<?> w : writes) {
            w.get();
        }
        writers.shutdown();
        double insertSeconds = (System.nanoTime() - insertStart) / 1e9;
        System.out.printf("stored %d jobs in %.1f s (%.0f/s); first due at %s, %s from now%n", jobs, insertSeconds,
                jobs / insertSeconds, first, Duration.between(Instant.now(), first).toSeconds() + " s");

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong tickNanos = new AtomicLong();
        AtomicInteger dispatched = new AtomicInteger();
        Thread dispatcher = new Thread(() -> {
            while (running.get()) {
                long start = System.nanoTime();
                try {
                    DispatchTick.Result result = tick.run(Instant.now(), new ShardRange(0, shards - 1));
                    if (result.sent() > 0) {
                        tickNanos.addAndGet(result.took().toNanos());
                        dispatched.addAndGet(result.sent());
                        System.out.printf("tick: %d runs claimed and sent in %d ms%n", result.sent(), result.took().toMillis());
                    }
                    long sleep = cadence.toMillis() - (System.nanoTime() - start) / 1_000_000;
                    if (sleep > 0) {
                        Thread.sleep(sleep);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-dispatcher");
        dispatcher.start();

        ExecutorService runThreads = Executors.newFixedThreadPool(pollers * batchSize, Wiring.daemons("run"));
        List<Thread> workers = new ArrayList<>();
        String queueUrl = queue.queueUrl();
        for (int p = 0; p < pollers; p++) {
            Thread worker = new Thread(() -> {
                while (running.get()) {
                    List<Message> batch = gather(sqs, queueUrl, batchSize);
                    List<Future<RunExecutor.Verdict>> results = new ArrayList<>();
                    StartGate gate = new StartGate(batch.size());
                    for (Message m : batch) {
                        StartGate.Ticket ticket = gate.ticket();
                        results.add(runThreads.submit(() -> executor.execute(RunMessage.parse(m.body()), m.receiptHandle(), ticket)));
                    }
                    // As jobs-worker and its event source mapping do: a message to see again is hidden for its
                    // verdict's time, the others are deleted (in batches of ten).
                    List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
                    for (int i = 0; i < batch.size(); i++) {
                        String receipt = batch.get(i).receiptHandle();
                        try {
                            RunExecutor.Verdict verdict = results.get(i).get();
                            if (verdict.done()) {
                                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(receipt).build());
                            } else {
                                queue.hide(receipt, verdict.hideSeconds());
                            }
                        } catch (Exception e) {
                            System.out.println("run failed: " + e);
                        }
                    }
                    for (int from = 0; from < done.size(); from += 10) {
                        List<DeleteMessageBatchRequestEntry> entries = done.subList(from, Math.min(done.size(), from + 10));
                        sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
                    }
                }
            }, "bench-worker-" + p);
            worker.start();
            workers.add(worker);
        }

        Instant deadline = first.plus(window).plusSeconds(120);
        // Until the target has seen every run's first call (or the deadline); the workers then finish their batches.
        while (received.size() < jobs && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        running.set(false);
        dispatcher.interrupt();
        for (Thread worker : workers) {
            worker.join();
        }

        List<Long> lateness = Collections.synchronizedList(new ArrayList<>());
        ExecutorService readers = Executors.newFixedThreadPool(16);
        List<Future<?>> reads = new ArrayList<>();
        for (Job job : created) {
            reads.add(readers.submit(() -> {
                Run run = ledger.read(job.jobId(), job.nextRunAt()).run();
                if (run != null && run.startedAt() != null) {
                    lateness.add(Duration.between(run.scheduledAt(), run.startedAt()).toMillis());
                }
            }));
        }
        for (Future<?> r : reads) {
            r.get();
        }
        readers.shutdown();
        List<Long> sorted = new ArrayList<>(lateness);
        Collections.sort(sorted);
        System.out.printf("%n%d jobs due within %d s: %d fired by the deadline (due window + 120 s); %d sent by the ticks that completed%n",
                jobs, window.toSeconds(), sorted.size(), dispatched.get());
        double dispatchRate = dispatched.get() / (tickNanos.get() / 1e9);
        System.out.printf("dispatcher: %.0f runs claimed+sent per second of tick time (%d shards, 16 threads)%n",
                dispatchRate, shards);
        // The baseline, in this process on the same DynamoDB Local: bare conditional writes, the one write a claim
        // costs, from as many threads as the dispatcher has. The ratio is the dispatcher's overhead on top of it.
        double ceiling = conditionalWritesPerSecond(dynamo, 16, Duration.ofSeconds(10));
        System.out.printf("baseline: %.0f bare conditional PutItems/s (16 threads, 10 s); dispatcher / baseline = %.2f%n",
                ceiling, dispatchRate / ceiling);
        List<Long> arrived = new ArrayList<>(received);
        Collections.sort(arrived);
        if (!arrived.isEmpty()) {
            System.out.printf("lateness, received by the target (first attempts, %d): p50 %d ms, p99 %d ms, max %d ms%n",
                    arrived.size(), percentile(arrived, 0.50), percentile(arrived, 0.99), arrived.get(arrived.size() - 1));
        }
        if (!sorted.isEmpty()) {
            System.out.printf("lateness, startedAt as recorded (when the worker called the target): p50 %d ms, p99 %d ms, max %d ms%n",
                    percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.get(sorted.size() - 1));
        }

        runThreads.shutdownNow();
        dispatchThreads.shutdownNow();
        target.stop(0);
        ((ExecutorService) target.getExecutor()).shutdownNow();
        sqsServer.stopAndWait();
        dynamoServer.stop();
        System.exit(0);
    }

    /**
     * One worker invocation's batch: receives of ten (the first waiting up to 1 s) until {@code size} messages, the
     * queue has no more visible, or 1 s has passed (the mapping's batching window).
     */
    private static List<Message> gather(SqsClient sqs, String queueUrl, int size) {
        List<Message> batch = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (batch.size() < size && System.nanoTime() - end < 0) {
            int want = Math.min(10, size - batch.size());
            int wait = batch.isEmpty() ? 1 : 0;
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(want).waitTimeSeconds(wait)).messages();
            if (received.isEmpty()) {
                break;
            }
            batch.addAll(received);
        }
        return batch;
    }

    /** Conditional PutItems (attribute_not_exists, as a claim is) of fresh small items, from {@code threads} threads. */
    private static double conditionalWritesPerSecond(DynamoDbClient dynamo, int threads, Duration duration) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService writers = Executors.newFixedThreadPool(threads);
        List<Future<?>> loops = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            loops.add(writers.submit(() -> {
                while (System.nanoTime() - end < 0) {
                    String pk = "C#" + next.incrementAndGet();
                    dynamo.putItem(b -> b.tableName("bench-jobs")
                            .item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("baseline"),
                                    "createdAt", AttributeValue.fromN(Long.toString(System.currentTimeMillis()))))
                            .conditionExpression("attribute_not_exists(pk)"));
                    done.incrementAndGet();
                }
            }));
        }
        for (Future<?> loop : loops) {
            loop.get();
        }
        writers.shutdown();
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * p) - 1));
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void createTable(DynamoDbClient dynamo) {
        dynamo.createTable(b -> b.tableName("bench-jobs").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .attributeDefinitions(attribute("pk", ScalarAttributeType.S), attribute("sk", ScalarAttributeType.S),
                        attribute("dueKey", ScalarAttributeType.S), attribute("nextRunAt", ScalarAttributeType.N),
                        attribute("ownerShard", ScalarAttributeType.S), attribute("createdKey", ScalarAttributeType.S))
                .globalSecondaryIndexes(
                        GlobalSecondaryIndex.builder().indexName("due").keySchema(key("dueKey", KeyType.HASH), key("nextRunAt", KeyType.RANGE))
                                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE).nonKeyAttributes("jobId", "dispatchLease").build()).build(),
                        GlobalSecondaryIndex.builder().indexName("byOwner").keySchema(key("ownerShard", KeyType.HASH), key("createdKey", KeyType.RANGE))
                                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE).nonKeyAttributes("status").build()).build()));
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }
}
