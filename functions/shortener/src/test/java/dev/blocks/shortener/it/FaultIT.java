package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.localcloud.junit.FaultReport;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.localcloud.junit.Pace;
import dev.blocks.shortener.store.GuardedRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault suite (issue 14) for the shortener: Redis hangs, the Kafka broker stops, the clicks consumer dies mid-batch
 * and DynamoDB dies under load; each test prints one {@link FaultReport} line. Each test has links of its own.
 */
class FaultIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String CLICKS = Cloud.PREFIX + "-clicks";
    private static final HttpClient ADMIN = HttpClient.newHttpClient();

    private static Api api;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
    }

    private static String owner() {
        return api.issueKey("fault-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static String link(String key, String url) {
        return api.created(key, "{\"url\":\"" + url + "\"}").path("code").asText();
    }

    private static long clicks(String key, String code) {
        return Api.json(api.get(key, "/v1/links/" + code + "/stats")).path("clicks").asLong();
    }

    private static long awaitClicks(String key, String code, long expected) {
        return Api.pollUntil(DEADLINE, () -> clicks(key, code), n -> n >= expected);
    }

    /**
     * Redis hangs (SIGSTOP) for 10 s while redirects go on: hot links come from the in-process cache, cold ones from
     * DynamoDB after the 250 ms Redis deadline (then GuardedRedis refuses at once for 2 s), so no redirect fails and
     * none waits much beyond that deadline. After the thaw the redirect fills Redis again. Costs about 15 s.
     */
    @Test
    void redirectsAreServedWhileRedisIsFrozen() {
        String key = owner();
        List<String> hot = new ArrayList<>();
        List<String> cold = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            hot.add(link(key, "https://example.com/hot/" + i));
        }
        for (int i = 0; i < 40; i++) {
            cold.add(link(key, "https://example.com/cold/" + i));
        }
        for (String code : hot) {
            assertThat(api.redirect(code).statusCode()).isEqualTo(302);
        }
        int sent = 0;
        int served = 0;
        List<String> failures = new ArrayList<>();
        long slowest = 0;
        int next = 0;
        CLOUD.freezeService("redis");
        try {
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() - end < 0) {
                // Alternate hot links with ones never looked up (while they last), then revisit them.
                String code = sent % 2 == 0 ? hot.get(sent / 2 % hot.size()) : cold.get(next++ % cold.size());
                long started = System.nanoTime();
                HttpResponse<String> answer = api.redirect(code);
                slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                sent++;
                if (answer.statusCode() == 302) {
                    served++;
                } else {
                    failures.add(code + " " + answer.statusCode() + " " + answer.body());
                }
            }
        } finally {
            CLOUD.thawService("redis");
        }
        FaultReport.ofCounts("shortener redis frozen 10 s under redirects", sent, served, sent - served, 0,
                "redirects sent " + sent + ", served " + served + ", failed " + failures.size() + ", slowest "
                        + slowest + " ms" + (failures.isEmpty() ? "" : "; " + failures.subList(0, Math.min(5, failures.size()))));
        assertThat(failures).isEmpty();
        // One Redis deadline (250 ms) plus a DynamoDB read and the gateway; a hang would cost the 30 s client timeout.
        assertThat(slowest).as("slowest redirect, ms").isLessThan(2000);

        // After the thaw, a link never looked up is read from DynamoDB and filled into Redis again.
        String fresh = link(key, "https://example.com/after-thaw");
        Vertx vertx = Vertx.vertx();
        try {
            Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(CLOUD.endpoints().redis()));
            GuardedRedis guarded = new GuardedRedis(redis, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(1),
                    new Metrics("blocks", "fault", Duration.ofHours(1), new PrintStream(PrintStream.nullOutputStream())));
            String cacheKey = Cloud.PREFIX + ":shortener:l:" + fresh;
            Response cached = Api.pollUntil(Duration.ofSeconds(20), () -> {
                assertThat(api.redirect(fresh).statusCode()).isEqualTo(302);
                return guarded.call(Request.cmd(Command.GET).arg(cacheKey));
            }, r -> r != null);
            assertThat(cached).as("the redirect fills Redis again after the thaw").isNotNull();
            assertThat(cached.toString()).contains("https://example.com/after-thaw");
        } finally {
            vertx.close();
        }
    }

    /**
     * The Kafka broker stops for 30 s under steady redirects. While the broker is in doubt, redirects spool their
     * clicks to SQS (functions/shortener README, "Clicks during a Kafka outage"), and clicks-replay publishes them
     * once the broker is back: every click before, during and after the outage is counted, none twice. Costs about
     * a minute.
     */
    @Test
    void clicksAroundAKafkaOutageAreCountedOnce() {
        String key = owner();
        String before = link(key, "https://example.com/kafka-before");
        String during = link(key, "https://example.com/kafka-during");
        String probe = link(key, "https://example.com/kafka-probe");
        String after = link(key, "https://example.com/kafka-after");
        warm(probe);
        int beforeSent = 10;
        for (int i = 0; i < beforeSent; i++) {
            assertThat(api.visitFrom("127.0.0.9", before, null)).isEqualTo(302);
        }
        assertThat(awaitClicks(key, before, beforeSent)).isEqualTo(beforeSent);

        int duringSent = 0;
        List<Long> millis = new ArrayList<>();
        CLOUD.stopService("kafka");
        try {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() - end < 0) {
                long started = System.nanoTime();
                assertThat(api.visitFrom("127.0.0.9", during, null)).as("redirects go on").isEqualTo(302);
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                duringSent++;
                Pace.sleep(Duration.ofMillis(500));
            }
        } finally {
            CLOUD.startService("kafka");
        }
        // The broker is back once a click sent now is counted.
        long probes = Api.pollUntil(DEADLINE, () -> {
            assertThat(api.visitFrom("127.0.0.9", probe, null)).isEqualTo(302);
            return clicks(key, probe);
        }, n -> n >= 1);
        assertThat(probes).as("a click after the broker restarted is counted").isPositive();
        int afterSent = 20;
        for (int i = 0; i < afterSent; i++) {
            assertThat(api.visitFrom("127.0.0.9", after, null)).isEqualTo(302);
        }
        long afterCounted = awaitClicks(key, after, afterSent);
        int sentDuring = duringSent;
        long duringCounted = Api.pollUntil(DEADLINE, () -> clicks(key, during), n -> n >= sentDuring);
        long beforeCounted = clicks(key, before);
        long sent = beforeSent + duringSent + afterSent;
        long counted = beforeCounted + duringCounted + afterCounted;
        FaultReport.ofCounts("shortener kafka stopped 30 s", sent, counted, Math.max(0, sent - counted),
                Math.max(0, counted - sent),
                "clicks before " + beforeSent + "/" + beforeCounted + ", during " + duringSent + "/" + duringCounted
                        + " (spooled, replayed after the restart), after " + afterSent + "/" + afterCounted
                        + "; redirect ms during the outage " + millis);
        assertThat(beforeCounted).isEqualTo(beforeSent);
        assertThat(duringCounted).as("every click of the outage counted once, through the spool").isEqualTo(duringSent);
        assertThat(afterCounted).isEqualTo(afterSent);
        // A redirect waits for its click's ack at most the delivery deadline (the test stack's is 5 s, so that a
        // click outlasts the freeze; 200 ms by default), never the broker's timeouts on top of it.
        assertThat(millis).as("redirect ms during the outage").allMatch(ms -> ms < 5000 + 1500);
    }

    /**
     * The clicks function is killed while it runs a batch, twice: the mapping retries the batch from the last
     * committed offset and the per-partition marks count each click once. Costs about 20 s.
     */
    @Test
    void clicksOfABatchWhoseConsumerIsKilledAreCountedOnce() throws Exception {
        String key = owner();
        String code = link(key, "https://example.com/killed-consumer");
        warm(link(key, "https://example.com/killed-consumer-warm-up"));
        int total = 150;
        AtomicBoolean stop = new AtomicBoolean();
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        ExecutorService visitor = Executors.newSingleThreadExecutor();
        Future<?> visiting = visitor.submit(() -> {
            for (int i = 0; i < total && !stop.get(); i++) {
                statuses.add(api.visitFrom("127.0.0." + (10 + i % 50), code, "https://r" + i + ".example/"));
            }
        });
        int kills = 0;
        try {
            for (int round = 0; round < 2; round++) {
                boolean busy = Api.pollUntil(Duration.ofSeconds(60), () -> busy(CLICKS) > 0, b -> b);
                if (busy) {
                    CLOUD.killFunction(CLICKS);
                    kills++;
                }
            }
            visiting.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            visitor.shutdownNow();
        }
        assertThat(statuses).hasSize(total).containsOnly(302);
        long counted = awaitClicks(key, code, total);
        // Give a late duplicate a chance to show: the count must stay put while nothing is in flight.
        long settled = Api.pollUntil(Duration.ofSeconds(5), () -> clicks(key, code), n -> n != counted);
        FaultReport.ofCounts("shortener clicks consumer killed mid-batch", total, Math.min(settled, total),
                Math.max(0, total - settled), Math.max(0, settled - total), "killed while busy " + kills + " times");
        assertThat(kills).as("the consumer was killed while running a batch").isPositive();
        assertThat(settled).isEqualTo(total);
    }

    /**
     * DynamoDB Local is killed while links are being created and started again once three were refused: every creation answers 201,
     * or 503 with Retry-After; afterwards every 201 link resolves, and a refused alias is either absent or whole.
     * Costs about 15 s.
     */
    @Test
    void creationsDuringADynamoDbOutageAreAnsweredOrRefusedWhole() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keys.add(owner());
        }
        record Attempt(String key, String alias, int status, String retryAfter, String body) {}
        List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService creator = Executors.newSingleThreadExecutor();
        Future<?> creating = creator.submit(() -> {
            for (int i = 0; !stop.get(); i++) {
                String key = keys.get(i / 40 % keys.size()); // under each key's burst of 60
                String alias = "f" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
                HttpResponse<String> answer = api.create(key,
                        "{\"url\":\"https://example.com/" + alias + "\",\"alias\":\"" + alias + "\"}");
                attempts.add(new Attempt(key, alias, answer.statusCode(),
                        answer.headers().firstValue("retry-after").orElse(null), answer.body()));
                Pace.sleep(Duration.ofMillis(50));
            }
        });
        try {
            Api.pollUntil(Duration.ofSeconds(30), attempts::size, n -> n >= 10);
            CLOUD.killService("dynamodb");
            try {
                // Down until creations are seen refused (the SDK's own retries hide a shorter outage), at most 30 s.
                Api.pollUntil(Duration.ofSeconds(30), () -> attempts.stream().filter(a -> a.status() == 503).count(), n -> n >= 3);
            } finally {
                CLOUD.startService("dynamodb");
            }
            long refusedSoFar = attempts.stream().filter(a -> a.status() == 503).count();
            Api.pollUntil(DEADLINE, () -> List.copyOf(attempts),
                    list -> list.size() > 5 && list.subList(list.size() - 5, list.size()).stream().allMatch(a -> a.status() == 201));
            assertThat(refusedSoFar).as("creations refused during the outage").isPositive();
        } finally {
            stop.set(true);
            creating.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            creator.shutdownNow();
        }
        List<Attempt> all = List.copyOf(attempts);
        List<String> sent = new ArrayList<>();
        List<String> arrived = new ArrayList<>();
        int refused = 0;
        int refusedButWritten = 0;
        for (Attempt attempt : all) {
            assertThat(attempt.status()).as(attempt.toString()).isIn(201, 503);
            HttpResponse<String> read = api.get(attempt.key(), "/v1/links/" + attempt.alias());
            if (attempt.status() == 201) {
                sent.add(attempt.alias());
                HttpResponse<String> redirect = api.redirect(attempt.alias());
                if (redirect.statusCode() == 302 && redirect.headers().firstValue("location")
                        .equals(java.util.Optional.of("https://example.com/" + attempt.alias())) && read.statusCode() == 200) {
                    arrived.add(attempt.alias());
                }
            } else {
                refused++;
                assertThat(attempt.retryAfter()).as("503 carries Retry-After: " + attempt).isNotNull();
                assertThat(read.statusCode()).as("a refused creation is absent or whole: " + attempt).isIn(200, 404);
                if (read.statusCode() == 200) {
                    refusedButWritten++;
                    assertThat(Api.json(read).path("url").asText()).isEqualTo("https://example.com/" + attempt.alias());
                }
            }
        }
        FaultReport.of("shortener dynamodb killed under link creation", sent, arrived, "attempts " + all.size()
                + ", refused 503 " + refused + " (of which written whole before the answer was lost: " + refusedButWritten + ")");
    }

    /**
     * One redirect through the client with the longer timeout, so that a cold start of the redirect function on a
     * loaded machine (over 10 s here) is not paid by a request with {@link Api#visitFrom}'s 15 s socket timeout.
     */
    private static void warm(String code) {
        assertThat(api.redirect(code).statusCode()).isEqualTo(302);
    }

    /** Execution environments of {@code function} running an invocation now, as the local cloud's admin API says. */
    private static int busy(String function) {
        try {
            HttpResponse<String> response = ADMIN.send(HttpRequest.newBuilder(
                    URI.create(CLOUD.endpoints().admin() + "/functions")).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode f : Api.JSON.readTree(response.body())) {
                if (f.path("name").asText().equals(function)) {
                    return f.path("busy").asInt();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no function " + function);
    }
}
