package dev.blocks.kit.ratelimit;

import java.util.Optional;

/**
 * How a rule counts. Every algorithm takes the same parameters (limit per window, burst) and the same request
 * cost; the exact maths of each is in {@link Meter}'s implementations and, identically, in its Lua script.
 */
public enum Algorithm {
    /** Capacity limit + burst, refilled continuously at limit per window. */
    TOKEN_BUCKET("token_bucket", true),
    /** Sliding-window counter: the previous fixed window's count weighted by its overlap with the last window. */
    SLIDING_WINDOW("sliding_window", false),
    /** Epoch-aligned fixed windows of limit units each. */
    FIXED_WINDOW("fixed_window", false),
    /** Exact sliding window: one sorted-set member per admitted unit. */
    SLIDING_LOG("sliding_log", false),
    /** The token bucket measured as a theoretical arrival time: same decisions, one stored number. */
    GCRA("gcra", true);

    private final String jsonName;
    private final boolean bursts;

    Algorithm(String jsonName, boolean bursts) {
        this.jsonName = jsonName;
        this.bursts = bursts;
    }

    /** The name rules use in JSON, e.g. {@code token_bucket}. */
    public String jsonName() {
        return jsonName;
    }

    /** Whether {@code burst} means anything to this algorithm (only the bucket algorithms hold extra capacity). */
    public boolean acceptsBurst() {
        return bursts;
    }

    public static Optional<Algorithm> fromJson(String name) {
        for (Algorithm a : values()) {
            if (a.jsonName.equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
