package dev.blocks.uploads.domain;

import java.util.List;
import java.util.TreeSet;

/** Validates a request for part URLs: distinct part numbers of the plan, at most a batch of them. */
public final class PartNumbers {

    private PartNumbers() {}

    /** The requested numbers in ascending order, or an {@link IllegalArgumentException} saying what is wrong. */
    public static List<Integer> batch(List<Integer> requested, PartPlan plan, int maxPerBatch) {
        if (requested.isEmpty()) {
            throw new IllegalArgumentException("ask for at least one part");
        }
        if (requested.size() > maxPerBatch) {
            throw new IllegalArgumentException("at most " + maxPerBatch + " parts per request");
        }
        TreeSet<Integer> distinct = new TreeSet<>();
        for (Integer n : requested) {
            if (n == null || n < 1 || n > plan.partCount()) {
                throw new IllegalArgumentException("part numbers are 1.." + plan.partCount() + ", not " + n);
            }
            if (!distinct.add(n)) {
                throw new IllegalArgumentException("part " + n + " is asked for twice");
            }
        }
        return List.copyOf(distinct);
    }

    /** The first batch, handed out with the upload itself so that a client can start at once. */
    public static List<Integer> first(PartPlan plan, int maxPerBatch) {
        return java.util.stream.IntStream.rangeClosed(1, Math.min(plan.partCount(), maxPerBatch)).boxed().toList();
    }
}
