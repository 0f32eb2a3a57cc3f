package dev.blocks.shortener.domain;

import java.time.LocalDate;
import java.util.List;

/** What the stats endpoint answers: counters the clicks consumer keeps, with referrers ranked. */
public record LinkStats(long clicks, long uniqueVisitors, List<DayCount> clicksByDay, List<ReferrerCount> topReferrers) {

    public record DayCount(LocalDate day, long clicks) {}

    public record ReferrerCount(String referrer, long clicks) {}
}
