package dev.blocks.kit.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.ratelimit.Algorithm;
import dev.blocks.kit.ratelimit.InProcessLimitStore;
import dev.blocks.kit.ratelimit.LimitStore;
import dev.blocks.kit.ratelimit.RateLimitMetrics;
import dev.blocks.kit.ratelimit.RateLimiter;
import dev.blocks.kit.ratelimit.RateLimiterSettings;
import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.kit.ratelimit.RuleCheck;
import dev.blocks.kit.ratelimit.RuleSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** A rate limiter's decisions reach CloudWatch through the function's one metrics writer. */
class LimiterMetricsTest {

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final Metrics metrics = new Metrics("acme", "ratelimit-api", Duration.ZERO,
            new PrintStream(written, true, StandardCharsets.UTF_8));

    @Test
    void decisionsAndFailOpensAreWrittenAsDeltas() throws Exception {
        Rule rule = Rule.of("per-key", Algorithm.FIXED_WINDOW, 2, 60);
        RateLimiter limiter = new RateLimiter(new InProcessLimitStore(), () -> RuleSet.of(rule),
                RateLimiterSettings.defaults().withRememberRefusals(false));
        metrics.includeTotals(limiter.metrics()::snapshot);

        assertThat(limiter.check(rule, "k", 1).allowed()).isTrue();
        assertThat(limiter.check(rule, "k", 1).allowed()).isTrue();
        assertThat(limiter.check(rule, "k", 1).allowed()).isFalse();
        metrics.flushIfDue();

        RateLimiter down = new RateLimiter(new Unreachable(), () -> RuleSet.of(rule), RateLimiterSettings.defaults());
        metrics.includeTotals(down.metrics()::snapshot);
        assertThat(down.check(rule, "k", 1).failedOpen()).isTrue();
        assertThat(limiter.check(rule, "other", 1).allowed()).isTrue();
        metrics.flushIfDue();

        String[] lines = written.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertThat(first.path(RateLimitMetrics.ALLOWED).asLong()).isEqualTo(2);
        assertThat(first.path(RateLimitMetrics.REFUSED).asLong()).isEqualTo(1);
        assertThat(first.has(RateLimitMetrics.FAIL_OPEN)).as("nothing failed open yet").isFalse();
        JsonNode second = new ObjectMapper().readTree(lines[1]);
        assertThat(second.path(RateLimitMetrics.FAIL_OPEN).asLong()).isEqualTo(1);
        assertThat(second.path(RateLimitMetrics.ALLOWED).asLong())
                .as("the other key; a fail-open counts as fail_open only").isEqualTo(1);
        assertThat(second.has(RateLimitMetrics.REFUSED)).isFalse();
        assertThat(second.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("acme");
    }

    /** Redis refusing connections, as the limiter sees it. */
    private static final class Unreachable implements LimitStore {
        @Override
        public CompletionStage<Evaluation> decide(List<RuleCheck> checks, long cost) {
            return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
        }

        @Override
        public CompletionStage<Void> refund(List<RuleCheck> checks, long cost, Evaluation admitted) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
