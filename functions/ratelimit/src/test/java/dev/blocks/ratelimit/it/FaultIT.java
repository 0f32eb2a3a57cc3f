package dev.blocks.ratelimit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.FaultReport;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault suite (issue 14): redis-server frozen (SIGSTOP: connections stay open, nothing answers) for 10 s while
 * clients keep checking. A frozen Redis is the hard case a killed one is not: nothing refuses the connection, so
 * only the limiter's timeout stands between a check and a hung request. Costs about 20 s.
 */
class FaultIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    /** Concurrent clients: enough to keep several function instances busy on a 2-core machine. */
    private static final int CLIENTS = 3;
    private static final Duration FROZEN = Duration.ofSeconds(10);
    /**
     * The test stack's Redis timeout (PT0.5S, functions/ratelimit/terraform/main.tf, ten times the default because
     * the shared test machine is often saturated) plus a second for the gateway, the Lambda round trip and that busy
     * machine: once the limiter's circuit breaker is open, no check takes longer, and the first fail-open answer comes
     * this soon after the freeze.
     */
    private static final Duration TIMEOUT_AND_MARGIN = Duration.ofMillis(1500);
    /**
     * Until the breaker opens (5 failures in a row, the kit's default) an instance spends a timeout on each check, and
     * a check queued behind those on the same instance waits for them: 5 × 0.5 s, plus the margin. With the
     * production timeout (50 ms) that is a quarter of a second.
     */
    private static final Duration UNTIL_THE_BREAKER_OPENS = Duration.ofMillis(5 * 500);
    private static final Duration LONGEST_ANSWER = UNTIL_THE_BREAKER_OPENS.plus(Duration.ofMillis(1000));

    private static Api api;
    private static String admin;
    private static String service;

    @BeforeAll
    static void keys() {
        api = new Api(CLOUD);
        admin = api.issueKey(Cloud.ADMIN_OWNER);
        service = api.issueKey("fault-service");
    }

    record Check(long startedNanos, long tookMillis, int status, String source, String error) {}

    @Test
    void aFrozenRedisFailsChecksOpenQuicklyAndCountingResumesAfterTheThaw() throws Exception {
        String rule = Api.unique("frozen");
        api.putRule(admin, rule, "{\"algorithm\":\"gcra\",\"limit\":3,\"windowSeconds\":3600,\"failMode\":\"open\"}");
        HttpResponse<String> applied = Api.pollUntil(Duration.ofSeconds(10), () -> api.check(service, rule, "probe"),
                r -> r.statusCode() != 404);
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);

        List<Check> checks = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> loops = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            loops.add(clients.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    checks.add(check(rule, "load-" + client + "-" + i));
                }
            }));
        }
        long frozenAt;
        long thawedAt;
        try {
            // Warm: the instances have answered counted checks before the fault, so no cold start is taken for the fault.
            assertThat(Api.pollUntil(Duration.ofSeconds(60), () -> counted(checks, Long.MIN_VALUE), n -> n >= CLIENTS * 3L))
                    .as("counted answers before the freeze").isGreaterThanOrEqualTo(CLIENTS * 3L);
            frozenAt = System.nanoTime();
            CLOUD.freezeService("redis");
            try {
                Thread.sleep(FROZEN.toMillis()); // the fault's length, not a wait for an outcome
            } finally {
                thawedAt = System.nanoTime();
                CLOUD.thawService("redis");
            }
            // Keep the load on past the thaw until counting resumes for the clients too.
            long thawed = thawedAt;
            assertThat(Api.pollUntil(Duration.ofSeconds(30), () -> counted(checks, thawed), n -> n > 0))
                    .as("counted answers after the thaw").isGreaterThan(0);
        } finally {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(90, TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> loop : loops) {
            loop.get();
        }

        List<Check> during = List.copyOf(checks).stream()
                .filter(k -> k.startedNanos >= frozenAt && k.startedNanos < thawedAt).toList();
        long answered = during.stream().filter(k -> k.status > 0).count();
        long failedOpen = during.stream().filter(k -> "fail_open".equals(k.source)).count();
        long serverErrors = during.stream().filter(k -> k.status >= 500).count();
        long slowest = during.stream().mapToLong(Check::tookMillis).max().orElse(0);
        long firstFailOpenMillis = List.copyOf(checks).stream().filter(k -> "fail_open".equals(k.source))
                .mapToLong(k -> TimeUnit.NANOSECONDS.toMillis(k.startedNanos - frozenAt) + k.tookMillis).min()
                .orElse(-1);
        long breakerOpen = frozenAt + UNTIL_THE_BREAKER_OPENS.plus(TIMEOUT_AND_MARGIN).toNanos();
        long slowestOnceOpen = during.stream().filter(k -> k.startedNanos > breakerOpen).mapToLong(Check::tookMillis)
                .max().orElse(0);
        FaultReport.ofCounts("ratelimit redis frozen 10s", during.size(), answered, during.size() - answered, 0,
                "checks sent " + during.size() + ", answered " + answered + ", failed open " + failedOpen + ", 5xx "
                        + serverErrors + ", slowest " + slowest + " ms, slowest once the breaker was open " + slowestOnceOpen
                        + " ms, first fail-open answer " + firstFailOpenMillis
                        + " ms after the freeze");

        assertThat(during).as("checks while Redis was frozen").hasSizeGreaterThan(CLIENTS * 3);
        assertThat(during).allSatisfy(k -> {
            assertThat(k.error).isNull();
            assertThat(k.status).as("a frozen Redis is never a 5xx (or a refusal) for a fail-open rule").isEqualTo(200);
            assertThat(k.source).isIn("fail_open", "counted");
            assertThat(k.tookMillis).as("answered within the breaker's trip time and a margin")
                    .isLessThanOrEqualTo(LONGEST_ANSWER.toMillis());
        });
        assertThat(failedOpen).as("checks answered fail-open while Redis was frozen").isGreaterThan(0);
        assertThat(slowestOnceOpen).as("once the breaker is open, a check waits for no Redis timeout")
                .isLessThanOrEqualTo(TIMEOUT_AND_MARGIN.toMillis());
        assertThat(firstFailOpenMillis).as("the limiter fails open within the Redis timeout of the freeze")
                .isBetween(0L, TIMEOUT_AND_MARGIN.toMillis());

        // Counting resumed: a fresh key gets its three, then the limit is enforced again.
        String key = Api.unique("after");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> allowed = api.check(service, rule, key);
            assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
            assertThat(Api.json(allowed).path("source").asText()).isEqualTo("counted");
        }
        HttpResponse<String> limited = api.check(service, rule, key);
        assertThat(limited.statusCode()).as("limiting resumed after the thaw: " + limited.body()).isEqualTo(429);
        assertThat(Api.json(limited).path("source").asText()).isEqualTo("counted");
    }

    private static long counted(List<Check> checks, long startedAfterNanos) {
        synchronized (checks) {
            return checks.stream().filter(k -> k.startedNanos > startedAfterNanos && "counted".equals(k.source)).count();
        }
    }

    private static Check check(String rule, String key) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = api.check(service, rule, key);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            String source = null;
            if (response.statusCode() < 500) {
                JsonNode body = Api.json(response);
                source = body.path("source").asText(null);
            }
            return new Check(started, took, response.statusCode(), source, null);
        } catch (RuntimeException e) {
            return new Check(started, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), 0, null,
                    e.toString());
        }
    }
}
