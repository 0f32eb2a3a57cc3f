package dev.blocks.shortener.domain;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * The clicks of one code within one batch, ready to be added to its stored counters in a single write.
 * {@code offsets} holds, per stream partition, the first and last offset the batch had for this code: a write
 * is applied only if the stored last offset of each partition is below this batch's first one, so a redelivered
 * batch never counts twice.
 */
public record CodeTally(String code, long clicks, SortedMap<LocalDate, Long> byDay, Map<String, Long> byReferrer,
                        Set<String> visitors, Map<Integer, OffsetRange> offsets) {

    public record OffsetRange(long first, long last) {}
}
