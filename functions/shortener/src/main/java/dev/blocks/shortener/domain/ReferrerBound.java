package dev.blocks.shortener.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bounds the referrer counters of a code's stats item. Every write adds at most a few names (the busiest sites of
 * a batch, see {@link ClickTally}); once the item holds more than {@code limit} named sites, all but the
 * {@code keep} busiest are folded into {@link Referrer#OTHER}, at most {@code maxFolds} per write (the size of one
 * update expression). So however many distinct referrers arrive, an item holds at most {@code limit} names plus
 * what one write adds, and folding happens once per {@code limit - keep} new names, not on every write.
 *
 * <p>Folding never drops a heavy hitter: a site with more than {@code 1 / (keep + 1)} of the item's referrer
 * clicks ranks in the top {@code keep} (fewer than {@code keep} other sites can have as many), so its counter is
 * never folded and keeps its exact count. Folding moves clicks, it never loses them: the counters still add up
 * to the code's clicks.
 */
public record ReferrerBound(int keep, int limit, int maxFolds) {

    public ReferrerBound {
        if (keep < 1 || limit < keep || maxFolds < 1) {
            throw new IllegalArgumentException("need 1 <= keep <= limit and maxFolds >= 1, got keep=" + keep
                    + ", limit=" + limit + ", maxFolds=" + maxFolds);
        }
    }

    /** {@code keep} by name, folding once the item holds half as many again. */
    public static ReferrerBound keeping(int keep, int maxFolds) {
        return new ReferrerBound(keep, keep + Math.max(1, keep / 2), maxFolds);
    }

    /**
     * The counters to fold into {@link Referrer#OTHER}, given the stored ones ({@link Referrer#OTHER} included or
     * not, it is never folded): empty while at most {@code limit} sites are named; otherwise the least busy
     * beyond the {@code keep} busiest (ties: the name sorting last goes first), at most {@code maxFolds}.
     */
    public Map<String, Long> toFold(Map<String, Long> stored) {
        List<Map.Entry<String, Long>> named = new ArrayList<>(stored.size());
        for (Map.Entry<String, Long> e : stored.entrySet()) {
            if (!Referrer.OTHER.equals(e.getKey())) {
                named.add(e);
            }
        }
        if (named.size() <= limit) {
            return Map.of();
        }
        named.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        Map<String, Long> fold = new LinkedHashMap<>();
        for (int i = named.size() - 1; i >= keep && fold.size() < maxFolds; i--) {
            fold.put(named.get(i).getKey(), named.get(i).getValue());
        }
        return fold;
    }

    /**
     * The sites the item keeps by name once {@code fold} is folded: at most {@code limit} of the busiest. What the
     * next batch of the code may add to without counting as a new name (see {@link ClickTally}); capped so that
     * one write names at most {@code limit} known sites plus the batch's new ones.
     */
    public Set<String> named(Map<String, Long> stored, Map<String, Long> fold) {
        List<Map.Entry<String, Long>> named = new ArrayList<>(stored.size());
        for (Map.Entry<String, Long> e : stored.entrySet()) {
            if (!Referrer.OTHER.equals(e.getKey()) && !fold.containsKey(e.getKey())) {
                named.add(e);
            }
        }
        named.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < named.size() && i < limit; i++) {
            names.add(named.get(i).getKey());
        }
        return names;
    }
}
