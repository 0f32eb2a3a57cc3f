package dev.blocks.scheduler.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.lambda.Invocation;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.scheduler.domain.CatchUp;
import dev.blocks.scheduler.domain.DueBuckets;
import dev.blocks.scheduler.domain.OwnerShards;
import dev.blocks.scheduler.domain.ShardRange;
import dev.blocks.scheduler.it.Api;
import dev.blocks.scheduler.it.Cloud;
import dev.blocks.scheduler.store.DueIndex;
import dev.blocks.scheduler.store.JobTable;
import dev.blocks.scheduler.store.RunLedger;
import dev.blocks.scheduler.store.RunMessage;
import dev.blocks.scheduler.store.RunQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A dispatcher tick against the stack's real table, stopped by its invocation's deadline: it sends every run it
 * claimed, leaves the others unclaimed and the watermark where it was, and the next tick takes the rest, each run
 * once. The jobs are due days ahead, out of reach of the stack's own dispatcher, and the tick sends to a queue of
 * the test's own so its runs can be counted; the invocation's clock is a counter, so the cut falls after a few
 * steps on any machine.
 */
class DispatchTickIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final int JOBS = 30;

    private static Api api;
    private static String apiKey;
    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static Map<String, String> environment;
    private static ExecutorService pool;
    private static final List<String> created = new ArrayList<>();
    private static final AtomicInteger fixtures = new AtomicInteger();

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        apiKey = api.issueKey("tick-" + UUID.randomUUID());
        dynamo = api.dynamo();
        sqs = api.sqs();
        try (var lambda = api.lambda()) {
            environment = lambda.getFunction(b -> b.functionName(Cloud.PREFIX + "-jobs-dispatcher"))
                    .configuration().environment().variables();
        }
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    static void tearDown() {
        for (String jobId : created) {
            api.delete(apiKey, "/v1/jobs/" + jobId);
        }
        pool.shutdownNow();
        dynamo.close();
        sqs.close();
    }

    @Test
    void aTickWithNoTimeLeftClaimsNothingAndKeepsItsWatermark() throws Exception {
        Instant due = randomMomentDaysAhead();
        createJobsDueAt(due);
        Fixture fixture = new Fixture(due);
        Invocation spent = new Invocation("spent", "jobs-dispatcher", 0, false, System::currentTimeMillis);

        DispatchTick.Result result = Invocation.callWith(spent, () -> fixture.tick.run(fixture.now, fixture.shards));

        assertThat(result.claimed()).isZero();
        assertThat(result.sent()).isZero();
        assertThat(fixture.received()).isEmpty();
        assertThat(fixture.index.watermark(fixture.shards.toString())).isEmpty();
        // Nothing was claimed, so a tick with time takes every run.
        DispatchTick.Result next = fixture.tick.run(fixture.now, fixture.shards);
        assertThat(next.claimed()).isEqualTo(JOBS);
        assertThat(fixture.received()).hasSize(JOBS);
    }

    @Test
    void aTickCutShortSendsWhatItClaimedAndTheNextTickSendsTheRestOnce() throws Exception {
        Instant due = randomMomentDaysAhead();
        List<String> jobs = createJobsDueAt(due);
        Fixture fixture = new Fixture(due);
        AtomicLong ticks = new AtomicLong();
        LongSupplier counter = ticks::incrementAndGet;
        // About three clock readings per run: the first runs fit, thirty do not.
        Invocation shortOfTime = new Invocation("short", "jobs-dispatcher", 24, false, counter);

        DispatchTick.Result first = Invocation.callWith(shortOfTime, () -> fixture.tick.run(fixture.now, fixture.shards));

        assertThat(first.claimed()).isBetween(1, JOBS - 1);
        assertThat(first.sent()).isEqualTo(first.claimed());
        List<RunMessage> firstRuns = fixture.received();
        assertThat(firstRuns).hasSize(first.claimed()).allSatisfy(run -> assertThat(run.scheduledAt()).isEqualTo(due));
        assertThat(fixture.index.watermark(fixture.shards.toString())).as("a tick cut short keeps its watermark").isEmpty();

        DispatchTick.Result second = fixture.tick.run(fixture.now, fixture.shards);

        assertThat(second.claimed()).isEqualTo(JOBS - first.claimed());
        List<String> all = new ArrayList<>();
        firstRuns.forEach(run -> all.add(run.jobId()));
        fixture.received().forEach(run -> all.add(run.jobId()));
        assertThat(all).as("every job's run sent exactly once").hasSize(JOBS).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(jobs);
        assertThat(fixture.index.watermark(fixture.shards.toString())).isPresent();
    }

    /** A whole second some days ahead, different for each test, where no other test's jobs fall due. */
    private static Instant randomMomentDaysAhead() {
        return Instant.now().plus(Duration.ofDays(3)).plusSeconds((long) (Math.random() * 86_400)).truncatedTo(ChronoUnit.SECONDS);
    }

    private static List<String> createJobsDueAt(Instant due) {
        String body = "{\"target\":{\"type\":\"http\",\"url\":\"http://127.0.0.1:9/never\"},\"runAt\":\"" + due + "\"}";
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            jobs.add(api.created(apiKey, body));
        }
        created.addAll(jobs);
        return jobs;
    }

    /** A tick wired as the stack's dispatcher is, but sending to a queue of its own and reading a window around {@code due}. */
    private static final class Fixture {

        final DueIndex index;
        final DispatchTick tick;
        final Instant now;
        final ShardRange shards;
        private final String queueUrl;

        Fixture(Instant due) {
            String table = environment.get("BLOCKS_SCHEDULER_TABLE");
            int shardCount = Integer.parseInt(environment.get("BLOCKS_SCHEDULER_SHARDS"));
            DueBuckets buckets = new DueBuckets(seconds("BLOCKS_SCHEDULER_BUCKET"), shardCount);
            String queue = Cloud.PREFIX + "-tick-" + UUID.randomUUID();
            queueUrl = sqs.createQueue(b -> b.queueName(queue)).queueUrl();
            now = due.minusSeconds(1);
            // Every shard, under a watermark of the fixture's own (the group names shards past the last, which read
            // nothing more): the stack's dispatcher's watermark must not jump days ahead, nor one test's another's.
            shards = new ShardRange(0, shardCount - 1 + fixtures.incrementAndGet());
            index = new DueIndex(dynamo, table);
            DispatchTick.Settings settings = new DispatchTick.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5),
                    Duration.ofSeconds(5), seconds("BLOCKS_SCHEDULER_BUCKET"), Duration.ofMinutes(2), 1, Duration.ofSeconds(2));
            tick = new DispatchTick(index, new JobTable(dynamo, table, new OwnerShards(Integer.parseInt(environment.get("BLOCKS_SCHEDULER_OWNER_SHARDS")))),
                    new RunLedger(dynamo, table, Duration.ofDays(1)), new RunQueue(sqs, queue, queue), buckets,
                    new CatchUp(Duration.ofHours(1)), settings, pool, Clock.fixed(now, ZoneOffset.UTC));
        }

        /** The runs waiting on the tick's queue, taken off it. */
        List<RunMessage> received() {
            List<RunMessage> runs = new ArrayList<>();
            while (true) {
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                if (messages.isEmpty()) {
                    return runs;
                }
                for (Message message : messages) {
                    runs.add(RunMessage.parse(message.body()));
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                }
            }
        }

        private static Duration seconds(String variable) {
            String value = environment.get(variable);
            assertThat(value).as(variable).endsWith("s");
            return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
        }
    }
}
