package dev.blocks.kit.ratelimit;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where counters live (Redis, in {@code dev.blocks.kit.ratelimit.redis}). Every call covers checks that share one
 * hash tag and is atomic: one script evaluation, one network round trip.
 */
public interface LimitStore {

    /**
     * Checks every rule for one request of {@code cost} units and records it in them only if every enforced
     * (non-shadow) rule lets it through; a shadow rule records it only if it would itself have let it through.
     * A refused request changes nothing.
     */
    CompletionStage<Evaluation> decide(List<RuleCheck> checks, long cost);

    /**
     * Gives back what an admitted {@link #decide} recorded, because checks under another hash tag refused the
     * same request.
     */
    CompletionStage<Void> refund(List<RuleCheck> checks, long cost, Evaluation admitted);

    /** The answer of one {@link #decide} call, with one verdict per check in the order given. */
    record Evaluation(long serverTimeMs, boolean admitted, List<Verdict> verdicts) {
        public Evaluation {
            verdicts = List.copyOf(verdicts);
        }
    }

    /**
     * One rule's verdict. {@code remaining} and {@code resetAtMs} (when the counter is back to a fresh one, on the
     * server's clock) are after recording the request if it was admitted, else before. {@code retryAfterMs} is 0
     * when the rule allowed the request, else how long until the same request would pass if nothing else
     * happened, or -1 when it never can (its cost exceeds the rule's capacity). {@code receipt} identifies what
     * was recorded, for a refund.
     */
    record Verdict(boolean allowed, long remaining, long resetAtMs, long retryAfterMs, long receipt) {}
}
