package dev.blocks.shortener.domain;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * The clicks of one code within one batch, ready to be added to its stored counters in a single write.
 * {@code offsets} holds, per stream partition, the first and last offset of these clicks: the stored counters
 * keep the last offset counted per partition (a high-water mark), and a write is applied only if every mark is
 * below this tally's first offset. When it is not (a redelivery), {@link ClickTally#uncounted} gives the clicks
 * above the marks, kept in {@code delivered} for that.
 */
public record CodeTally(String code, long clicks, SortedMap<LocalDate, Long> byDay, Map<String, Long> byReferrer,
                        Set<String> visitors, Map<Integer, OffsetRange> offsets, List<DeliveredClick> delivered) {

    public record OffsetRange(long first, long last) {}

    /**
     * Whether this tally may be added to counters whose marks (last offset counted per partition) are
     * {@code counted}: every mark is below this tally's first offset in its partition. The store's conditional
     * update expresses exactly this.
     */
    public boolean fitsAbove(Map<Integer, Long> counted) {
        for (Map.Entry<Integer, OffsetRange> range : offsets.entrySet()) {
            Long mark = counted.get(range.getKey());
            if (mark != null && mark >= range.getValue().first()) {
                return false;
            }
        }
        return true;
    }
}
