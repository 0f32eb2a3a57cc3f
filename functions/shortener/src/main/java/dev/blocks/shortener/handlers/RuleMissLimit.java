package dev.blocks.shortener.handlers;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.Problem;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.kit.net.ClientIp;
import dev.blocks.kit.ratelimit.Decision;
import dev.blocks.kit.ratelimit.LimitRequest;
import dev.blocks.kit.ratelimit.RateLimitHeaders;
import dev.blocks.kit.ratelimit.RateLimiter;
import dev.blocks.shortener.store.LinkLookup;
import dev.blocks.shortener.store.MetricNames;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Unknown codes limited by the kit's {@link RateLimiter}, keyed by client IP (the kit's client key: an IPv4
 * address, or an IPv6 /64). Only a miss is charged, after DynamoDB said the code is unknown: one Redis EVALSHA on
 * a path that already cost a Redis GET and a DynamoDB read; hits never reach the limiter.
 *
 * <p>A refused client is remembered in this process until the retry time Redis gave, and its next lookups that
 * would read DynamoDB are refused before the read, without a round trip. Another instance learns of the
 * refusal on its own first miss from that client, so a client over its budget costs each warm instance at most
 * one DynamoDB read per retry period.
 */
final class RuleMissLimit implements MissLimit {

    /** Refused clients remembered at most; beyond that the least recently refused are forgotten. */
    static final int REMEMBERED_CLIENTS = 10_000;

    private final RateLimiter limiter;
    private final Metrics metrics;
    private final LongSupplier nanos;
    /** Client key → until when (System.nanoTime) its lookups are refused before any read. */
    private final Cache<String, Long> refusedUntil;

    RuleMissLimit(RateLimiter limiter, Metrics metrics) {
        this(limiter, metrics, System::nanoTime);
    }

    RuleMissLimit(RateLimiter limiter, Metrics metrics, LongSupplier nanos) {
        this.limiter = limiter;
        this.metrics = metrics;
        this.nanos = nanos;
        // Entries are judged by their value; the expiry only clears out the ones nobody asks about any more.
        this.refusedUntil = Caffeine.newBuilder().maximumSize(REMEMBERED_CLIENTS).expireAfterWrite(Duration.ofHours(1)).build();
    }

    @Override
    public LinkLookup.MissBudget of(HttpRequest request) {
        String ip = request.sourceIp() == null || request.sourceIp().isEmpty() ? null : request.sourceIp();
        if (ip == null) {
            return LinkLookup.MissBudget.UNLIMITED; // rules keyed by client IP cannot apply
        }
        return new LinkLookup.MissBudget() {
            @Override
            public void beforeTableRead() {
                refuseIfRemembered(ip);
            }

            @Override
            public void missed() {
                charge(request.routeKey(), ip);
            }
        };
    }

    private void refuseIfRemembered(String ip) {
        String client = ClientIp.key(ip);
        Long until = refusedUntil.getIfPresent(client);
        if (until == null) {
            return;
        }
        long left = until - nanos.getAsLong();
        if (left <= 0) {
            refusedUntil.asMap().remove(client, until);
            return;
        }
        metrics.increment(MetricNames.MISSES_REFUSED);
        long seconds = Math.max(1, (TimeUnit.NANOSECONDS.toMillis(left) + 999) / 1000);
        throw refusal(seconds, Map.of("retry-after", Long.toString(seconds)));
    }

    private void charge(String route, String ip) {
        Decision decision = limiter.check(new LimitRequest(route, null, null, ip, null, 1));
        if (decision.allowed()) {
            return;
        }
        metrics.increment(MetricNames.MISSES_REFUSED);
        if (decision.retryAfterMs() > 0) {
            refusedUntil.put(ClientIp.key(ip), nanos.getAsLong() + TimeUnit.MILLISECONDS.toNanos(decision.retryAfterMs()));
        }
        Map<String, String> headers = RateLimitHeaders.of(decision);
        throw refusal(Long.parseLong(headers.getOrDefault("retry-after", "1")), headers);
    }

    private static ProblemException refusal(long retryAfterSeconds, Map<String, String> headers) {
        return new ProblemException(Problem.of(429, "rate-limited", "Too many requests",
                "too many unknown codes from this address; retry after " + retryAfterSeconds + " s"), headers);
    }
}
