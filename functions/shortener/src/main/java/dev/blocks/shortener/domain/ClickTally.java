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
import java.util.Set;
import java.util.TreeMap;

/**
 * Folds a batch of clicks into one {@link CodeTally} per code, so that the store is written once per code per
 * batch however many clicks the batch holds. Days are UTC days. Only the {@code maxReferrers} busiest sites of a
 * code are kept by name, the rest are added up as {@link Referrer#OTHER}: the number of distinct names a stored
 * item collects stays bounded per batch.
 */
public final class ClickTally {

    private ClickTally() {}

    public static List<CodeTally> of(List<DeliveredClick> batch, int maxReferrers) {
        Map<String, Builder> byCode = new LinkedHashMap<>();
        for (DeliveredClick delivered : batch) {
            byCode.computeIfAbsent(delivered.click().code(), Builder::new).add(delivered);
        }
        List<CodeTally> tallies = new ArrayList<>(byCode.size());
        byCode.values().forEach(b -> tallies.add(b.build(maxReferrers)));
        return tallies;
    }

    private static final class Builder {
        private final String code;
        private long clicks;
        private final TreeMap<LocalDate, Long> byDay = new TreeMap<>();
        private final Map<String, Long> byReferrer = new HashMap<>();
        private final Set<String> visitors = new HashSet<>();
        private final Map<Integer, CodeTally.OffsetRange> offsets = new TreeMap<>();

        Builder(String code) {
            this.code = code;
        }

        void add(DeliveredClick delivered) {
            Click click = delivered.click();
            clicks++;
            byDay.merge(LocalDate.ofInstant(click.at(), ZoneOffset.UTC), 1L, Long::sum);
            byReferrer.merge(Referrer.site(click.referrer()), 1L, Long::sum);
            if (click.visitor() != null && !click.visitor().isEmpty()) {
                visitors.add(click.visitor());
            }
            offsets.merge(delivered.partition(),
                    new CodeTally.OffsetRange(delivered.offset(), delivered.offset()),
                    (a, b) -> new CodeTally.OffsetRange(Math.min(a.first(), b.first()), Math.max(a.last(), b.last())));
        }

        CodeTally build(int maxReferrers) {
            List<Map.Entry<String, Long>> ranked = new ArrayList<>(byReferrer.entrySet());
            ranked.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()));
            Map<String, Long> kept = new LinkedHashMap<>();
            for (int i = 0; i < ranked.size(); i++) {
                Map.Entry<String, Long> e = ranked.get(i);
                if (i < maxReferrers) {
                    kept.merge(e.getKey(), e.getValue(), Long::sum);
                } else {
                    kept.merge(Referrer.OTHER, e.getValue(), Long::sum);
                }
            }
            return new CodeTally(code, clicks, byDay, kept, visitors, offsets);
        }
    }
}
