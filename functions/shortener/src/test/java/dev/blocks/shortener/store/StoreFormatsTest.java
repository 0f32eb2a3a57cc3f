package dev.blocks.shortener.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.shortener.domain.CacheTtl;
import dev.blocks.shortener.domain.Click;
import dev.blocks.shortener.domain.Link;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the stores write and read back: cache entries, click events, metric lines, in-process freshness. */
class StoreFormatsTest {

    @Test
    void aCachedLinkReadsBackAsTheSameLink() {
        Link full = new Link("aB3dE5f", "https://example.com/a?b=\"c\"", "alice", Instant.parse("2026-11-24T10:00:00.123Z"),
                Instant.parse("2027-01-01T00:00:00.000456Z"), 3L, List.of("x", "y"));
        assertThat(RedisLinkCache.decode("aB3dE5f", RedisLinkCache.encode(full))).isEqualTo(full);
        Link bare = new Link("abc", "https://example.com", "bob", Instant.parse("2026-11-24T10:00:00Z"), null, null, List.of());
        assertThat(RedisLinkCache.decode("abc", RedisLinkCache.encode(bare))).isEqualTo(bare);
        assertThat(RedisLinkCache.encode(bare)).doesNotContain("\"e\"").doesNotContain("\"m\"");
    }

    @Test
    void clickEventsRoundTripAndOmitAbsentFields() throws Exception {
        Click click = new Click("abc", Instant.parse("2026-11-24T10:00:00.5Z"), "https://news.example/", "0123456789abcdef", "UA", "DE");
        assertThat(ClickJson.decode(ClickJson.encode(click))).isEqualTo(click);
        Click bare = new Click("abc", Instant.parse("2026-11-24T10:00:00Z"), null, null, null, null);
        byte[] encoded = ClickJson.encode(bare);
        assertThat(new ObjectMapper().readTree(encoded).size()).isEqualTo(2);
        assertThat(ClickJson.decode(encoded)).isEqualTo(bare);
        assertThat(ClickJson.read(encoded).spoolId()).isNull();
    }

    @Test
    void aSpooledClickCarriesItsSpoolIdAndIsTheSameClick() {
        Click click = new Click("abc", Instant.parse("2026-11-24T10:00:00.5Z"), null, "0123456789abcdef", null, "DE");
        ClickJson.Read read = ClickJson.read(ClickJson.encode(click, "s-1"));
        assertThat(read.click()).isEqualTo(click);
        assertThat(read.spoolId()).isEqualTo("s-1");
    }

    @Test
    void unreadableClickEventsAreRefused() {
        assertThatThrownBy(() -> ClickJson.decode("not json".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClickJson.decode("{\"code\":\"abc\"}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClickJson.decode("[]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClickJson.decode("{\"code\":\"abc\",\"at\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metricsAreOneEmbeddedMetricLinePerIntervalWithOnlyWhatChanged() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Metrics metrics = new Metrics("blocks", "redirect", Duration.ZERO, new PrintStream(out, true, StandardCharsets.UTF_8));
        metrics.flushIfDue();
        assertThat(out.size()).as("nothing counted, nothing written").isZero();

        metrics.increment(MetricNames.REDIS_UNAVAILABLE);
        metrics.add(MetricNames.CLICKS_DROPPED, 5);
        metrics.flushIfDue();
        JsonNode line = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(line.path("function").asText()).isEqualTo("redirect");
        assertThat(line.path(MetricNames.REDIS_UNAVAILABLE).asLong()).isEqualTo(1);
        assertThat(line.path(MetricNames.CLICKS_DROPPED).asLong()).isEqualTo(5);
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("blocks");
        assertThat(directive.path("Dimensions").get(0).get(0).asText()).isEqualTo("function");
        assertThat(directive.path("Metrics")).hasSize(2);

        out.reset();
        metrics.add(MetricNames.CLICKS_DROPPED, 2);
        metrics.flushIfDue();
        JsonNode next = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(next.path(MetricNames.CLICKS_DROPPED).asLong()).as("a delta, not a total").isEqualTo(2);
        assertThat(next.has(MetricNames.REDIS_UNAVAILABLE)).isFalse();
        assertThat(metrics.total(MetricNames.CLICKS_DROPPED)).isEqualTo(7);
    }

    @Test
    void inProcessEntriesAreFreshForTheirLifetimeThenStaleButKept() {
        AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
        LocalLinkCache cache = new LocalLinkCache(100, new CacheTtl(Duration.ofSeconds(2), 0), new CacheTtl(Duration.ofSeconds(1), 0),
                Duration.ofMinutes(15), now::get);
        Link link = new Link("abc", "https://example.com", "alice", Instant.EPOCH, null, null, List.of());
        cache.put("abc", new CachedLink.Found(link));
        cache.put("nope", new CachedLink.Absent(false));

        assertThat(cache.get("abc").freshAt(now.get())).isTrue();
        now.addAndGet(Duration.ofMillis(1999).toNanos());
        assertThat(cache.get("abc").freshAt(now.get())).isTrue();
        assertThat(cache.get("nope").freshAt(now.get())).as("negative entries live shorter").isFalse();
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(cache.get("abc").freshAt(now.get())).isFalse();
        assertThat(cache.get("abc").value()).as("kept, stale, for outages").isEqualTo(new CachedLink.Found(link));

        cache.forget("abc");
        assertThat(cache.get("abc")).isNull();
    }
}
