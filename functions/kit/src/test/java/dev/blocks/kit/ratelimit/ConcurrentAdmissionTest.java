package dev.blocks.kit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.ratelimit.AdmissionHammer.Admission;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import io.vertx.redis.client.Command;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 64 threads in this JVM and 64 in a second JVM hammer one counter on the real redis-server, starting just before
 * a window boundary. Whatever the interleaving, the admissions (timed by the server clock the scripts decided
 * on) must respect each algorithm's bound:
 * <ul>
 * <li>fixed_window: at most limit per window;</li>
 * <li>sliding_window: at most limit per window, and across every boundary b at most limit × (1 + d / window)
 *     within [b − d, b + d): no 2× burst at the boundary;</li>
 * <li>sliding_log: at most limit in any window-long span, boundary or not;</li>
 * <li>token_bucket and gcra: at most limit + burst + limit × d / window in any span of d ms.</li>
 * </ul>
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ConcurrentAdmissionTest {

    @RegisterExtension
    static LocalCloudExtension cloud = LocalCloudExtension.services("redis");

    private static final int THREADS = 64;
    private static final long LIMIT = 50;
    private static final long WINDOW_SECONDS = 1;
    private static final long BURST = 10;
    private static final long W = WINDOW_SECONDS * 1000;

    private static TestRedis redis;
    private static Process secondJvm;
    private static Writer toSecond;
    private static BufferedReader fromSecond;

    @TempDir
    static Path files;

    @BeforeAll
    static void startSecondJvm() throws IOException {
        redis = TestRedis.connect(cloud.endpoints().redis());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        secondJvm = new ProcessBuilder(java, "-Xmx256m", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp", System.getProperty("java.class.path"),
                AdmissionHammer.class.getName(), cloud.endpoints().redis(), Integer.toString(THREADS))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        toSecond = new OutputStreamWriter(secondJvm.getOutputStream(), StandardCharsets.UTF_8);
        fromSecond = new BufferedReader(new InputStreamReader(secondJvm.getInputStream(), StandardCharsets.UTF_8));
        assertThat(fromSecond.readLine()).as("second JVM").isEqualTo("ready");
    }

    @AfterAll
    static void stopSecondJvm() throws Exception {
        if (secondJvm != null) {
            secondJvm.getOutputStream().close();
            if (!secondJvm.waitFor(30, TimeUnit.SECONDS)) {
                secondJvm.destroyForcibly().waitFor();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void twoProcessesNeverAdmitMoreThanTheAlgorithmAllows(Algorithm algorithm) throws Exception {
        long burst = algorithm.acceptsBurst() ? BURST : 0;
        String ruleId = "hammer-" + algorithm.jsonName() + "-" + System.nanoTime();
        Rule rule = Rule.of(ruleId, algorithm, LIMIT, WINDOW_SECONDS).withBurst(burst).withKeyBy(KeyPart.API_KEY);
        // Start 200 ms before a boundary at least half a second away, and run across two more boundaries.
        long now = redis.serverTimeMillis();
        long boundary = Math.floorDiv(now + 500, W) * W + W;
        long start = boundary - 200;
        long end = boundary + 2 * W + 200;
        Path secondOut = files.resolve(ruleId + ".txt");

        toSecond.write(String.join(" ", "run", algorithm.name(), Long.toString(LIMIT), Long.toString(WINDOW_SECONDS),
                Long.toString(burst), ruleId, Long.toString(start), Long.toString(end), secondOut.toString()) + "\n");
        toSecond.flush();
        AdmissionHammer.Result here = AdmissionHammer.hammer(redis, rule, THREADS, start, end);
        String done = fromSecond.readLine();
        assertThat(done).as("second JVM finished").startsWith("done ");
        String[] counts = done.split(" ");
        long secondDecisions = Long.parseLong(counts[1]);
        long secondUncounted = Long.parseLong(counts[2]);

        assertThat(here.uncounted()).as("decisions not counted by Redis here").isZero();
        assertThat(secondUncounted).as("decisions not counted by Redis in the second JVM").isZero();
        assertThat(secondDecisions).as("decisions made by the second JVM").isPositive();

        List<Admission> admitted = new ArrayList<>(here.admissions());
        admitted.addAll(AdmissionHammer.read(secondOut));
        admitted.sort(Comparator.comparingLong(Admission::serverTimeMs));
        assertThat(admitted).isNotEmpty();

        long capacity = LIMIT + burst;
        System.out.printf("%s: %d decisions here, %d in the second JVM, %d units admitted; largest window %d,"
                + " largest half-window span around a boundary %d (limit %d, capacity %d)%n",
                algorithm.jsonName(), here.decisions(), secondDecisions, units(admitted, Long.MIN_VALUE, Long.MAX_VALUE),
                largestAlignedWindow(admitted), largestBoundarySpan(admitted, start, end, W / 2), LIMIT, capacity);

        switch (algorithm) {
            case FIXED_WINDOW -> assertThat(largestAlignedWindow(admitted)).isLessThanOrEqualTo(LIMIT);
            case SLIDING_WINDOW -> {
                assertThat(largestAlignedWindow(admitted)).isLessThanOrEqualTo(LIMIT);
                for (long d : new long[] {W / 10, W / 4, W / 2}) {
                    assertThat(largestBoundarySpan(admitted, start, end, d)).as("units within %d ms of a boundary", d)
                            .isLessThanOrEqualTo(LIMIT + LIMIT * d / W);
                }
            }
            case SLIDING_LOG -> {
                for (Admission a : admitted) {
                    assertThat(units(admitted, a.serverTimeMs() - W + 1, a.serverTimeMs()))
                            .as("units in the window ending at %d", a.serverTimeMs()).isLessThanOrEqualTo(LIMIT);
                }
            }
            case TOKEN_BUCKET, GCRA -> {
                for (int i = 0; i < admitted.size(); i++) {
                    for (int j = i; j < admitted.size(); j++) {
                        long from = admitted.get(i).serverTimeMs();
                        long to = admitted.get(j).serverTimeMs();
                        assertThat(units(admitted, from, to)).as("units in [%d, %d]", from, to)
                                .isLessThanOrEqualTo(capacity + LIMIT * (to - from) / W);
                    }
                }
            }
        }
        redis.command(Command.DEL, new KeyLayout(HashTagPolicy.ONE_SLOT)
                .check(rule, LimitRequest.forRoute("POST /v1/links").withApiKey("hammered")).key());
    }

    /** Units admitted at server times in [from, to]. */
    private static long units(List<Admission> admitted, long from, long to) {
        return admitted.stream().filter(a -> a.serverTimeMs() >= from && a.serverTimeMs() <= to)
                .mapToLong(Admission::cost).sum();
    }

    private static long largestAlignedWindow(List<Admission> admitted) {
        return admitted.stream().collect(Collectors.groupingBy(a -> Math.floorDiv(a.serverTimeMs(), W),
                Collectors.summingLong(Admission::cost))).values().stream()
                .mapToLong(Long::longValue).max().orElse(0);
    }

    /** The most units admitted within [b − d, b + d) over the window boundaries b of the run. */
    private static long largestBoundarySpan(List<Admission> admitted, long start, long end, long d) {
        long largest = 0;
        for (long b = Math.floorDiv(start, W) * W + W; b <= end; b += W) {
            largest = Math.max(largest, units(admitted, b - d, b + d - 1));
        }
        return largest;
    }
}
