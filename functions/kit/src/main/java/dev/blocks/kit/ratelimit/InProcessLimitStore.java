package dev.blocks.kit.ratelimit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Counters in this process's memory, decided by the plain Java maths ({@link Meter}) with exactly the
 * semantics of the Redis scripts: one process only (a function run locally without Redis, a single-instance
 * service), and the reference the scripts are tested against. Counters that are back to fresh are dropped.
 */
public final class InProcessLimitStore implements LimitStore {

    private static final int SWEEP_EVERY = 10_000;

    private final LongSupplier clockMillis;
    private final Map<String, Meter> meters = new HashMap<>();
    private int callsSinceSweep;

    public InProcessLimitStore() {
        this(System::currentTimeMillis);
    }

    public InProcessLimitStore(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    @Override
    public synchronized CompletionStage<Evaluation> decide(List<RuleCheck> checks, long cost) {
        long now = clockMillis.getAsLong();
        sweep(now);
        List<Meter> used = new ArrayList<>(checks.size());
        boolean admitted = true;
        for (RuleCheck check : checks) {
            Meter meter = meter(check);
            used.add(meter);
            if (!check.rule().shadow() && !meter.allows(now, cost)) {
                admitted = false;
            }
        }
        List<Verdict> verdicts = new ArrayList<>(checks.size());
        for (Meter meter : used) {
            boolean allowed = meter.allows(now, cost);
            long receipt = admitted && allowed ? meter.record(now, cost) : 0;
            verdicts.add(new Verdict(allowed, meter.remaining(now), meter.resetAt(now),
                    allowed ? 0 : meter.retryAfter(now, cost), receipt));
        }
        return CompletableFuture.completedFuture(new Evaluation(now, admitted, verdicts));
    }

    @Override
    public synchronized CompletionStage<Void> refund(List<RuleCheck> checks, long cost, Evaluation admitted) {
        long now = clockMillis.getAsLong();
        for (int i = 0; i < checks.size(); i++) {
            meter(checks.get(i)).refund(now, cost, admitted.serverTimeMs(), admitted.verdicts().get(i).receipt());
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Keys name the rule's parameters, so one key always means one kind of meter. */
    private Meter meter(RuleCheck check) {
        return meters.computeIfAbsent(check.key(), key -> Meter.of(check.rule()));
    }

    private void sweep(long now) {
        if (++callsSinceSweep < SWEEP_EVERY) {
            return;
        }
        callsSinceSweep = 0;
        for (Iterator<Map.Entry<String, Meter>> it = meters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Meter> entry = it.next();
            if (entry.getValue().resetAt(now) <= now) {
                it.remove();
            }
        }
    }
}
