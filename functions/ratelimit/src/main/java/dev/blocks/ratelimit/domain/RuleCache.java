package dev.blocks.ratelimit.domain;

import dev.blocks.kit.ratelimit.Rule;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The rules in force, kept in process and read again from the {@link RuleSource} when the last read is older
 * than {@code refresh}: one read per refresh period, whatever the number of checks, and a rule changed in the
 * store applies to every check made at least {@code refresh} after the change. Reads happen on the caller's
 * thread when a check finds the rules stale (a Lambda function is frozen between invocations, so a background
 * timer could not keep that promise). When a read fails, the rules last read stay in force and the next read is
 * tried one period later; until a first read succeeds only configured rules are known.
 *
 * <p>Thread-safe: one caller reads while others that find the rules stale wait for that read (a Lambda instance
 * runs one check at a time anyway). The promise holds while a read takes less than the period and succeeds.
 */
public final class RuleCache {

    /** What happened to a read, for a log line. */
    public interface Listener {
        void refreshed(RuleCatalog catalog, boolean changed);

        void failed(RuntimeException error, boolean storedKnown);
    }

    private final List<Rule> configured;
    private final RuleSource source;
    private final long refreshNanos;
    private final LongSupplier nanoClock;
    private final Listener listener;
    private final ReentrantLock reading = new ReentrantLock();

    private volatile RuleCatalog catalog;
    private volatile long nextReadAt;

    public RuleCache(List<Rule> configured, RuleSource source, Duration refresh, LongSupplier nanoClock, Listener listener) {
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("refresh must not be negative: " + refresh);
        }
        this.configured = List.copyOf(configured);
        this.source = source;
        this.refreshNanos = refresh.toNanos();
        this.nanoClock = nanoClock;
        this.listener = listener;
        this.catalog = RuleCatalog.configuredOnly(this.configured);
        this.nextReadAt = nanoClock.getAsLong();
    }

    /** The rules in force, read again first if they are older than the refresh period. */
    public RuleCatalog current() {
        if (nanoClock.getAsLong() - nextReadAt >= 0) {
            refresh();
        }
        return catalog;
    }

    /** The rules as last read, without reading (what a limiter's rule supplier calls on every check). */
    public RuleCatalog lastRead() {
        return catalog;
    }

    private void refresh() {
        // Callers arriving during a read wait for it rather than use older rules: that would break the promise.
        reading.lock();
        try {
            long now = nanoClock.getAsLong();
            if (now - nextReadAt < 0) {
                return; // another caller read while this one waited
            }
            try {
                List<Rule> stored = source.all();
                RuleCatalog fresh = RuleCatalog.of(configured, stored);
                boolean changed = !fresh.ruleSet().rules().equals(catalog.ruleSet().rules()) || !catalog.storedKnown();
                catalog = fresh;
                listener.refreshed(fresh, changed);
            } catch (RuntimeException e) {
                listener.failed(e, catalog.storedKnown());
            }
            // Counted from the start of the read: a slow read does not stretch the promised delay.
            nextReadAt = now + refreshNanos;
        } finally {
            reading.unlock();
        }
    }
}
