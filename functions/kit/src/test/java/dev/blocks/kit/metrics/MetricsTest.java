package dev.blocks.kit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(written, true, StandardCharsets.UTF_8);

    private Metrics metrics(Duration interval) {
        return new Metrics("acme-prod", "links-api", interval, out);
    }

    /** Every line written so far, each checked against the EMF document structure first. */
    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String text : written.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!text.isBlank()) {
                JsonNode line = JSON.readTree(text);
                assertEmf(line);
                lines.add(line);
            }
        }
        return lines;
    }

    /** The EMF rules a line must follow for CloudWatch to extract it. */
    private static void assertEmf(JsonNode line) {
        JsonNode aws = line.path("_aws");
        assertThat(aws.isObject()).as("_aws object").isTrue();
        assertThat(aws.path("Timestamp").isIntegralNumber()).as("Timestamp in epoch ms").isTrue();
        assertThat(aws.path("Timestamp").asLong())
                .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis() + 1000);
        JsonNode directives = aws.path("CloudWatchMetrics");
        assertThat(directives.isArray()).isTrue();
        assertThat(directives).hasSize(1);
        JsonNode directive = directives.get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("acme-prod");
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"function\"]]");
        assertThat(line.path("function").asText()).as("dimension value at the root").isEqualTo("links-api");
        JsonNode definitions = directive.path("Metrics");
        assertThat(definitions.isArray()).isTrue();
        assertThat(definitions.size()).isBetween(1, Metrics.MAX_METRICS_PER_LINE);
        Set<String> names = new HashSet<>();
        for (JsonNode definition : definitions) {
            String name = definition.path("Name").asText();
            assertThat(names.add(name)).as("%s defined once per line", name).isTrue();
            assertThat(definition.path("Unit").asText()).isIn("Count", "Milliseconds");
            JsonNode value = line.path(name);
            if (definition.path("Unit").asText().equals("Count")) {
                assertThat(value.isIntegralNumber()).as("%s is a number at the root", name).isTrue();
            } else {
                assertThat(value.path("Values").isArray()).as("%s has Values", name).isTrue();
                assertThat(value.path("Counts").size()).isEqualTo(value.path("Values").size());
                assertThat(value.path("Values").size()).isBetween(1, Metrics.MAX_VALUES_PER_METRIC);
                long count = 0;
                long sum = 0;
                long max = Long.MIN_VALUE;
                long min = Long.MAX_VALUE;
                for (int i = 0; i < value.path("Values").size(); i++) {
                    long v = value.path("Values").get(i).asLong();
                    long c = value.path("Counts").get(i).asLong();
                    assertThat(c).as("%s counts are positive", name).isPositive();
                    count += c;
                    sum += v * c;
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
                assertThat(value.path("Count").asLong()).as("%s Count", name).isEqualTo(count);
                assertThat(value.path("Sum").asLong()).as("%s Sum", name).isEqualTo(sum);
                assertThat(value.path("Max").asLong()).as("%s Max", name).isEqualTo(max);
                assertThat(value.path("Min").asLong()).as("%s Min", name).isEqualTo(min);
            }
        }
    }

    @Test
    void writesCountersAsOneEmfLine() throws Exception {
        Metrics metrics = metrics(Duration.ZERO);
        metrics.increment("shortener.redirect_hits_memory");
        metrics.increment("shortener.redirect_hits_memory");
        metrics.add("shortener.clicks_sent", 5);
        metrics.flushIfDue();

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.path("shortener.redirect_hits_memory").asLong()).isEqualTo(2);
        assertThat(line.path("shortener.clicks_sent").asLong()).isEqualTo(5);
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")).hasSize(2);
    }

    @Test
    void writesNothingWhenNothingChanged() throws Exception {
        Metrics metrics = metrics(Duration.ZERO);
        metrics.flushIfDue();
        metrics.flush();
        assertThat(written.size()).isZero();

        metrics.increment("webhooks.attempts");
        metrics.flush();
        metrics.flush();
        assertThat(lines()).hasSize(1);
    }

    @Test
    void eachLineCarriesTheChangeSinceThePreviousOne() throws Exception {
        Metrics metrics = metrics(Duration.ZERO);
        metrics.add("uploads.completed", 3);
        metrics.increment("uploads.rejected");
        metrics.flush();
        metrics.add("uploads.completed", 2);
        metrics.flush();

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).path("uploads.completed").asLong()).as("a delta, not a total").isEqualTo(2);
        assertThat(lines.get(1).has("uploads.rejected")).as("unchanged: left out").isFalse();
        assertThat(metrics.total("uploads.completed")).isEqualTo(5);
    }

    @Test
    void waitsForTheIntervalUnlessForced() throws Exception {
        Metrics metrics = metrics(Duration.ofHours(1));
        metrics.increment("scheduler.runs_fired");
        metrics.flushIfDue();
        assertThat(written.size()).as("interval not over").isZero();

        metrics.flush();
        assertThat(lines()).singleElement()
                .satisfies(line -> assertThat(line.path("scheduler.runs_fired").asLong()).isEqualTo(1));
    }

    @Test
    void writesDistributionsAsValuesAndCounts() throws Exception {
        Metrics metrics = metrics(Duration.ZERO);
        for (long millis : new long[] {40, 12, 40, 7, 40, 12}) {
            metrics.record("scheduler.lateness", millis);
        }
        metrics.flush();

        JsonNode line = lines().get(0);
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").get(0).path("Unit").asText())
                .isEqualTo("Milliseconds");
        Map<Long, Long> counted = counts(line.path("scheduler.lateness"));
        assertThat(counted).isEqualTo(Map.of(7L, 1L, 12L, 2L, 40L, 3L));
        assertThat(metrics.recorded("scheduler.lateness")).isEqualTo(6);

        metrics.record("scheduler.lateness", 3);
        metrics.flush();
        assertThat(counts(lines().get(1).path("scheduler.lateness"))).as("only the new observation")
                .isEqualTo(Map.of(3L, 1L));
    }

    @Test
    void spreadsMoreThanAHundredDistinctValuesOverLinesWithoutLosingAny() throws Exception {
        Metrics metrics = metrics(Duration.ZERO);
        for (long millis = 0; millis < 250; millis++) {
            metrics.record("scheduler.lateness", millis);
            metrics.record("scheduler.lateness", millis);
        }
        metrics.increment("scheduler.runs_fired");
        metrics.flush();

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(3);
        Map<Long, Long> all = new HashMap<>();
        for (JsonNode line : lines) {
            counts(line.path("scheduler.lateness")).forEach((value, count) -> all.merge(value, count, Long::sum));
        }
        assertThat(all).hasSize(250);
        assertThat(all.values()).allMatch(count -> count == 2);
        assertThat(lines.stream().filter(line -> line.has("scheduler.runs_fired"))).hasSize(1);
    }

    @Test
    void spreadsMoreThanAHundredMetricsOverLines() throws Exception {
        Metrics metrics = metrics(Duration.ZERO);
        for (int i = 0; i < 150; i++) {
            metrics.increment("test.counter_" + i);
        }
        metrics.flush();

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.stream().mapToInt(line -> line.path("_aws").path("CloudWatchMetrics").get(0)
                .path("Metrics").size()).sum()).isEqualTo(150);
    }

    @Test
    void writesRunningTotalsKeptElsewhereAsDeltas() throws Exception {
        Metrics metrics = metrics(Duration.ZERO);
        AtomicLong allowed = new AtomicLong(10);
        AtomicLong alsoAllowed = new AtomicLong(1);
        metrics.includeTotals(() -> Map.of("ratelimit.allowed", allowed.get()));
        metrics.includeTotals(() -> Map.of("ratelimit.allowed", alsoAllowed.get()));
        metrics.flush();
        allowed.addAndGet(4);
        metrics.flush();
        metrics.flush();

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).path("ratelimit.allowed").asLong()).isEqualTo(11);
        assertThat(lines.get(1).path("ratelimit.allowed").asLong()).isEqualTo(4);
        assertThat(metrics.total("ratelimit.allowed")).isEqualTo(15);
    }

    @Test
    void concurrentCountsAreExact() throws Exception {
        Metrics metrics = metrics(Duration.ZERO);
        int threads = 8;
        int each = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> counting = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                counting.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        metrics.increment("webhooks.attempts");
                        metrics.record("webhooks.latency", i % 7);
                    }
                    return null;
                }));
            }
            Future<?> flushing = pool.submit(() -> {
                start.await();
                while (!counting.stream().allMatch(Future::isDone)) {
                    metrics.flushIfDue();
                }
                return null;
            });
            start.countDown();
            for (Future<?> future : counting) {
                future.get(60, TimeUnit.SECONDS);
            }
            flushing.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        metrics.flush();

        long attempts = 0;
        long observations = 0;
        for (JsonNode line : lines()) {
            attempts += line.path("webhooks.attempts").asLong();
            for (long count : counts(line.path("webhooks.latency")).values()) {
                observations += count;
            }
        }
        assertThat(attempts).as("sum of the written deltas").isEqualTo((long) threads * each);
        assertThat(observations).isEqualTo((long) threads * each);
        assertThat(metrics.total("webhooks.attempts")).isEqualTo((long) threads * each);
    }

    @Test
    void refusesNamesThatClashWithTheDocument() {
        Metrics metrics = metrics(Duration.ZERO);
        assertThatThrownBy(() -> metrics.increment("function")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.record("_aws", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.add(" ", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<Long, Long> counts(JsonNode distribution) {
        Map<Long, Long> counts = new HashMap<>();
        Iterator<JsonNode> values = distribution.path("Values").elements();
        Iterator<JsonNode> times = distribution.path("Counts").elements();
        while (values.hasNext()) {
            assertThat(counts.put(values.next().asLong(), times.next().asLong())).as("each value once per line").isNull();
        }
        return counts;
    }
}
