package dev.blocks.shortener.domain;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Folds a batch of clicks into one {@link CodeTally} per code, so that the store is written once per code per
 * batch however many clicks the batch holds. Days are UTC days. Sites the code's stored item already names
 * ({@code named}, as the last write of that code answered; empty when unknown) are kept by name: adding to them
 * adds no name. Of the other sites only the {@code maxReferrers} busiest are kept by name, the rest are added up
 * as {@link Referrer#OTHER}: one write adds at most {@code maxReferrers} new names (the stored item as a whole is
 * bounded by {@link ReferrerBound}).
 *
 * <p>So a site the item names is counted exactly, however many random sites share its batch; and a site with
 * more than {@code 1 / (maxReferrers + 1)} of a code's clicks in a batch is kept by name in any case (fewer than
 * {@code maxReferrers} other sites can have as many clicks).
 */
public final class ClickTally {

    private ClickTally() {}

    public static List<CodeTally> of(List<DeliveredClick> batch, int maxReferrers) {
        return of(batch, maxReferrers, code -> Set.of(), 0);
    }

    /**
     * {@code salt} orders new sites with equal counts: the consumer draws it at random, so that a sender of many
     * one-click sites cannot pick names that always win the ties against a real site with one click in the batch.
     */
    public static List<CodeTally> of(List<DeliveredClick> batch, int maxReferrers, Function<String, Set<String>> named,
                                     int salt) {
        Map<String, List<DeliveredClick>> byCode = new LinkedHashMap<>();
        for (DeliveredClick delivered : batch) {
            byCode.computeIfAbsent(delivered.click().code(), c -> new ArrayList<>()).add(delivered);
        }
        List<CodeTally> tallies = new ArrayList<>(byCode.size());
        byCode.forEach((code, clicks) -> tallies.add(tally(code, clicks, maxReferrers, named.apply(code), salt)));
        return tallies;
    }

    /**
     * The part of {@code tally} not counted yet, given the highest offset already counted per partition for its
     * code ({@code counted}; a partition without an entry has nothing counted). Clicks of one code are counted
     * in offset order per partition, so every click at or below the mark is in, and none above it: a batch
     * redelivered with other boundaries adds exactly its clicks above the mark. Empty when all were counted.
     */
    public static Optional<CodeTally> uncounted(CodeTally tally, Map<Integer, Long> counted, int maxReferrers,
                                                Set<String> named, int salt) {
        List<DeliveredClick> rest = new ArrayList<>(tally.delivered().size());
        for (DeliveredClick click : tally.delivered()) {
            Long mark = counted.get(click.partition());
            if (mark == null || click.offset() > mark) {
                rest.add(click);
            }
        }
        return rest.isEmpty() ? Optional.empty() : Optional.of(tally(tally.code(), rest, maxReferrers, named, salt));
    }

    private static CodeTally tally(String code, List<DeliveredClick> clicks, int maxReferrers, Set<String> named,
                                   int salt) {
        TreeMap<LocalDate, Long> byDay = new TreeMap<>();
        Map<String, Long> byReferrer = new HashMap<>();
        Set<String> visitors = new HashSet<>();
        Map<Integer, CodeTally.OffsetRange> offsets = new TreeMap<>();
        for (DeliveredClick delivered : clicks) {
            Click click = delivered.click();
            byDay.merge(LocalDate.ofInstant(click.at(), ZoneOffset.UTC), 1L, Long::sum);
            byReferrer.merge(Referrer.site(click.referrer()), 1L, Long::sum);
            if (click.visitor() != null && !click.visitor().isEmpty()) {
                visitors.add(click.visitor());
            }
            offsets.merge(delivered.partition(),
                    new CodeTally.OffsetRange(delivered.offset(), delivered.offset()),
                    (a, b) -> new CodeTally.OffsetRange(Math.min(a.first(), b.first()), Math.max(a.last(), b.last())));
        }
        return new CodeTally(code, clicks.size(), byDay, keepBusiest(byReferrer, maxReferrers, named, salt), visitors, offsets,
                List.copyOf(clicks));
    }

    private static Map<String, Long> keepBusiest(Map<String, Long> byReferrer, int maxReferrers, Set<String> named,
                                                 int salt) {
        Map<String, Long> kept = new LinkedHashMap<>();
        List<Map.Entry<String, Long>> ranked = new ArrayList<>(byReferrer.size());
        for (Map.Entry<String, Long> e : byReferrer.entrySet()) {
            if (named.contains(e.getKey())) {
                kept.put(e.getKey(), e.getValue());
            } else {
                ranked.add(e);
            }
        }
        ranked.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparingInt(e -> mix(e.getKey().hashCode() ^ salt))
                .thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; i < ranked.size(); i++) {
            Map.Entry<String, Long> e = ranked.get(i);
            kept.merge(i < maxReferrers ? e.getKey() : Referrer.OTHER, e.getValue(), Long::sum);
        }
        return kept;
    }

    /** A bijective scramble of the bits (murmur3's finaliser): equal-count order follows the salt, not the name. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
