package dev.blocks.kit.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters known to be over their limit, remembered in process until the moment Redis said a request would pass
 * again, so that a client hammering a refused key costs no round trip. Only refusals are remembered, and only
 * for requests costing at least as much as the refused one: other traffic can only push the moment later, so a
 * remembered refusal is never wrong. Bounded: when full, expired entries are dropped, and new ones are not
 * remembered until there is room.
 */
final class OverLimitKeys {

    /**
     * A remembered refusal: requests of at least {@code minCost} on this check's counter fail until
     * {@code untilNanos}; {@code remaining} is what Redis last reported left.
     */
    record Refusal(RuleCheck check, long minCost, long untilNanos, long remaining) {}

    private final int maxEntries;
    private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();

    OverLimitKeys(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    void remember(RuleCheck check, long cost, long remaining, long untilNanos, long nowNanos) {
        if (refusals.size() >= maxEntries) {
            refusals.values().removeIf(r -> r.untilNanos() - nowNanos <= 0);
            if (refusals.size() >= maxEntries) {
                return;
            }
        }
        refusals.put(check.key(), new Refusal(check, cost, untilNanos, remaining));
    }

    /** The remembered refusal that lasts longest among these checks for a request of {@code cost}, or null. */
    Refusal find(List<RuleCheck> checks, long cost, long nowNanos) {
        if (refusals.isEmpty()) {
            return null;
        }
        Refusal longest = null;
        for (RuleCheck check : checks) {
            Refusal refusal = refusals.get(check.key());
            if (refusal == null) {
                continue;
            }
            if (refusal.untilNanos() - nowNanos <= 0) {
                refusals.remove(check.key(), refusal);
            } else if (refusal.check().rule().equals(check.rule()) && cost >= refusal.minCost()
                    && (longest == null || refusal.untilNanos() - longest.untilNanos() > 0)) {
                longest = refusal;
            }
        }
        return longest;
    }

    int size() {
        return refusals.size();
    }
}
