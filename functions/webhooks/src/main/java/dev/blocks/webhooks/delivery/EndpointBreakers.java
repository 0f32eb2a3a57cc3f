package dev.blocks.webhooks.delivery;

import dev.blocks.kit.breaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One circuit breaker per endpoint, per deliverer instance. Each instance learns on its own that an endpoint is
 * dead (after {@code threshold} failures of its own); that costs a few failed calls per instance, and no shared
 * state on the hot path.
 */
public final class EndpointBreakers {

    private static final int MAX_ENDPOINTS = 10_000;

    private final int threshold;
    private final Duration openFor;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public EndpointBreakers(int threshold, Duration openFor, LongSupplier nanoClock) {
        this.threshold = threshold;
        this.openFor = openFor;
        this.nanoClock = nanoClock;
    }

    public CircuitBreaker of(String endpointId) {
        if (breakers.size() >= MAX_ENDPOINTS && !breakers.containsKey(endpointId)) {
            // Closed breakers carry nothing worth keeping; open ones are re-learned within a few calls.
            breakers.values().removeIf(b -> b.state() == CircuitBreaker.State.CLOSED);
        }
        return breakers.computeIfAbsent(endpointId, id -> new CircuitBreaker(threshold, openFor, nanoClock));
    }

    public Duration openFor() {
        return openFor;
    }
}
