package dev.blocks.kit.ratelimit;

import dev.blocks.kit.breaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one call functions make: {@code Decision d = limiter.check(request)}. Matches the rules in force against
 * the request, asks Redis once for all of them (see {@link HashTagPolicy} for Cluster layouts), and falls back to
 * each rule's fail mode when Redis errs, is slower than the timeout, or its circuit breaker is open. Keys already
 * over their limit are refused in process until Redis said they would pass again.
 *
 * <p>Thread-safe; one instance per process. {@link #check} blocks up to the timeout: call it from a worker
 * thread (a Lambda handler thread is one), or use {@link #checkAsync} on an event loop.
 */
public final class RateLimiter {

    private static final System.Logger LOG = System.getLogger(RateLimiter.class.getName());

    private final LimitStore store;
    private final Supplier<RuleSet> rules;
    private final RateLimiterSettings settings;
    private final KeyLayout layout;
    private final OverLimitKeys overLimit;
    private final RateLimitMetrics metrics = new RateLimitMetrics();
    private final CircuitBreaker breaker;

    /**
     * @param rules read on every call, so a refreshed rule set applies to the next request
     */
    public RateLimiter(LimitStore store, Supplier<RuleSet> rules, RateLimiterSettings settings) {
        this.store = store;
        this.rules = rules;
        this.settings = settings;
        this.layout = new KeyLayout(settings.hashTags());
        this.overLimit = new OverLimitKeys(settings.rememberedKeysMax());
        this.breaker = new CircuitBreaker(settings.breakerFailures(), settings.breakerOpenFor(), System::nanoTime,
                this::breakerChanged);
    }

    /** Decides one request, waiting for Redis at most the configured timeout. Never throws for Redis failures. */
    public Decision check(LimitRequest request) {
        return checkAsync(request).toCompletableFuture().join();
    }

    /** As {@link #check}, without blocking; the stage always completes normally within the timeout. */
    public CompletionStage<Decision> checkAsync(LimitRequest request) {
        List<Rule> matching = rules.get().matching(request);
        if (matching.isEmpty()) {
            return CompletableFuture.completedFuture(
                    new Decision(true, Decision.Source.NO_RULE, System.currentTimeMillis(), 0, List.of(), List.of()));
        }
        List<RuleCheck> checks = new ArrayList<>(matching.size());
        for (Rule rule : matching) {
            checks.add(layout.check(rule, request));
        }
        return decide(matching, checks, request.cost());
    }

    /**
     * Decides one request against one rule, on the counter of a key the caller names (a rate-limit service's
     * {@code {rule, key, cost}}), waiting for Redis at most the configured timeout. The rule's route, tier and
     * keyBy are not consulted: the caller chose the rule and the key. Everything else is as for
     * {@link #check(LimitRequest)}: one round trip, refusals remembered, fail mode and circuit breaker.
     *
     * @param key any non-empty string; only its SHA-256 reaches Redis
     * @param cost units this request is worth, at least 1; more than the rule's {@link Rule#capacity()} is refused
     *     with a retry time of -1 (it can never pass)
     */
    public Decision check(Rule rule, String key, long cost) {
        return checkAsync(rule, key, cost).toCompletableFuture().join();
    }

    /** As {@link #check(Rule, String, long)}, without blocking. */
    public CompletionStage<Decision> checkAsync(Rule rule, String key, long cost) {
        if (rule == null || key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a rule and a non-empty key are required");
        }
        if (cost < 1) {
            throw new IllegalArgumentException("cost must be at least 1, was " + cost);
        }
        return decide(List.of(rule), List.of(layout.check(rule, key)), cost);
    }

    private CompletionStage<Decision> decide(List<Rule> matching, List<RuleCheck> checks, long cost) {
        long sentAt = System.nanoTime();
        if (settings.rememberRefusals()) {
            OverLimitKeys.Refusal refusal = overLimit.find(checks, cost, sentAt);
            if (refusal != null) {
                metrics.increment(RateLimitMetrics.REMEMBERED);
                return CompletableFuture.completedFuture(remembered(matching, refusal, sentAt));
            }
        }
        if (!breaker.tryAcquire()) {
            return CompletableFuture.completedFuture(fallback(matching));
        }
        Map<String, List<RuleCheck>> groups = new LinkedHashMap<>();
        for (RuleCheck check : checks) {
            groups.computeIfAbsent(check.hashTag(), tag -> new ArrayList<>()).add(check);
        }
        CompletableFuture<List<LimitStore.Evaluation>> calls;
        try {
            calls = send(groups, cost);
        } catch (RuntimeException e) {
            calls = CompletableFuture.failedFuture(e);
        }
        return calls.orTimeout(settings.timeout().toNanos(), TimeUnit.NANOSECONDS).handle((evaluations, error) -> {
            if (error != null) {
                return failed(matching, error);
            }
            breaker.onSuccess();
            return counted(matching, groups, evaluations, cost, sentAt);
        });
    }

    public RateLimitMetrics metrics() {
        return metrics;
    }

    public CircuitBreaker.State breakerState() {
        return breaker.state();
    }

    private CompletableFuture<List<LimitStore.Evaluation>> send(Map<String, List<RuleCheck>> groups, long cost) {
        if (groups.size() == 1) {
            List<RuleCheck> only = groups.values().iterator().next();
            return store.decide(only, cost).toCompletableFuture().thenApply(List::of);
        }
        List<CompletableFuture<LimitStore.Evaluation>> calls = new ArrayList<>(groups.size());
        for (List<RuleCheck> group : groups.values()) {
            calls.add(store.decide(group, cost).toCompletableFuture());
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(done -> calls.stream().map(CompletableFuture::join).toList());
    }

    private Decision counted(List<Rule> matching, Map<String, List<RuleCheck>> groups,
            List<LimitStore.Evaluation> evaluations, long cost, long sentAt) {
        boolean admitted = evaluations.stream().allMatch(LimitStore.Evaluation::admitted);
        long time = 0;
        long retry = 0;
        long now = System.nanoTime();
        List<RuleOutcome> outcomes = new ArrayList<>(matching.size());
        int g = 0;
        for (List<RuleCheck> group : groups.values()) {
            LimitStore.Evaluation evaluation = evaluations.get(g++);
            time = Math.max(time, evaluation.serverTimeMs());
            boolean refunded = !admitted && evaluation.admitted();
            if (refunded) {
                refund(group, cost, evaluation);
            }
            for (int i = 0; i < group.size(); i++) {
                RuleCheck check = group.get(i);
                LimitStore.Verdict v = evaluation.verdicts().get(i);
                long remaining = refunded ? Math.min(check.rule().capacity(), v.remaining() + cost) : v.remaining();
                long resetAfter = !v.allowed() && v.retryAfterMs() >= 0
                        ? v.retryAfterMs()
                        : Math.max(0, v.resetAtMs() - evaluation.serverTimeMs());
                outcomes.add(new RuleOutcome(check.rule(), v.allowed(), remaining, resetAfter, v.retryAfterMs()));
                if (v.allowed()) {
                    continue;
                }
                if (check.rule().shadow()) {
                    metrics.increment(RateLimitMetrics.SHADOW_REFUSED);
                    continue;
                }
                retry = retry < 0 || v.retryAfterMs() < 0 ? -1 : Math.max(retry, v.retryAfterMs());
                if (settings.rememberRefusals() && v.retryAfterMs() > 0) {
                    overLimit.remember(check, cost, v.remaining(),
                            sentAt + TimeUnit.MILLISECONDS.toNanos(v.retryAfterMs()), now);
                }
            }
        }
        metrics.increment(admitted ? RateLimitMetrics.ALLOWED : RateLimitMetrics.REFUSED);
        return new Decision(admitted, Decision.Source.COUNTED, time, admitted ? 0 : retry, matching, outcomes);
    }

    private void refund(List<RuleCheck> group, long cost, LimitStore.Evaluation evaluation) {
        metrics.increment(RateLimitMetrics.REFUNDS);
        try {
            store.refund(group, cost, evaluation).whenComplete((done, error) -> {
                if (error != null) {
                    // The request was refused either way; an unrefunded reservation only makes its counters
                    // stricter until they reset.
                    metrics.increment(RateLimitMetrics.REDIS_ERRORS);
                }
            });
        } catch (RuntimeException e) {
            metrics.increment(RateLimitMetrics.REDIS_ERRORS);
        }
    }

    private Decision remembered(List<Rule> matching, OverLimitKeys.Refusal refusal, long now) {
        long retry = Math.max(1, TimeUnit.NANOSECONDS.toMillis(refusal.untilNanos() - now));
        RuleOutcome outcome = new RuleOutcome(refusal.check().rule(), false, refusal.remaining(), retry, retry);
        return new Decision(false, Decision.Source.REMEMBERED, System.currentTimeMillis(), retry, matching, List.of(outcome));
    }

    private Decision failed(List<Rule> matching, Throwable error) {
        Throwable cause = error instanceof CompletionException || error instanceof ExecutionException
                ? (error.getCause() == null ? error : error.getCause())
                : error;
        metrics.increment(cause instanceof TimeoutException ? RateLimitMetrics.REDIS_TIMEOUTS : RateLimitMetrics.REDIS_ERRORS);
        breaker.onFailure(cause);
        return fallback(matching);
    }

    private Decision fallback(List<Rule> matching) {
        boolean closed = matching.stream().anyMatch(r -> !r.shadow() && r.failMode() == FailMode.CLOSED);
        if (closed) {
            metrics.increment(RateLimitMetrics.FAIL_CLOSED);
            long retry = Math.max(1, breaker.untilProbe().toMillis());
            return new Decision(false, Decision.Source.FAIL_CLOSED, System.currentTimeMillis(), retry, matching, List.of());
        }
        metrics.increment(RateLimitMetrics.FAIL_OPEN);
        return new Decision(true, Decision.Source.FAIL_OPEN, System.currentTimeMillis(), 0, matching, List.of());
    }

    private void breakerChanged(CircuitBreaker.State from, CircuitBreaker.State to, String reason) {
        metrics.increment(switch (to) {
            case OPEN -> RateLimitMetrics.BREAKER_OPENED;
            case HALF_OPEN -> RateLimitMetrics.BREAKER_HALF_OPENED;
            case CLOSED -> RateLimitMetrics.BREAKER_CLOSED;
        });
        LOG.log(to == CircuitBreaker.State.OPEN ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                "rate limiter Redis circuit breaker {0} -> {1}: {2}", from, to, reason);
    }
}
