package dev.blocks.shortener.store;

import dev.blocks.shortener.domain.ClickTally;
import dev.blocks.shortener.domain.CodeTally;
import dev.blocks.shortener.domain.Link;
import dev.blocks.shortener.domain.LinkStats;
import dev.blocks.shortener.domain.Referrer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The links table: one item per link ({@code sk = link}) and one per link's click counters ({@code sk = stats}),
 * both under the code as partition key. Counters live apart from the link so that the clicks consumer never
 * rewrites (or races with) the item the redirect reads and the visit limit updates.
 *
 * <p>{@code ttl} holds the expiry in epoch seconds for DynamoDB's TTL deletion; {@code expiresAt} keeps the exact
 * instant, checked on every read because TTL deletion is lazy.
 */
public final class LinkTable {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String LINK = "link";
    static final String STATS = "stats";
    private static final String DAY_PREFIX = "d_";
    private static final String REFERRER_PREFIX = "r_";
    private static final String OFFSET_PREFIX = "o_";
    // '#' cannot occur in a code or an alias, so this item never meets a link.
    private static final String COUNTER_PK = "#counter";
    private static final String COUNTER_SK = "floor";
    // Claims of spooled clicks; '#' keeps them apart from links too.
    private static final String SPOOL_PK_PREFIX = "#spooled#";
    private static final String SPOOL_SK = "claim";

    /** What counting one visit of a visit-limited link found. */
    public enum Visit { COUNTED, EXHAUSTED, MISSING }

    private final DynamoDbClient dynamo;
    private final String table;

    public LinkTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Writes a new link unless its code is taken; one conditional put, nothing read first. */
    public boolean create(Link link) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(item(link)).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    /** Strongly consistent: this read answers a cache miss, and a fresh create must not look unknown. */
    public Optional<Link> find(String code) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(code, LINK)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(link(item));
    }

    /** Counts a visit of a visit-limited link atomically; the condition refuses the visit past the limit. */
    public Visit countVisit(String code) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(code, LINK))
                    .updateExpression("ADD visits :one")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(visits) OR visits < maxVisits)")
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                    .returnValues(ReturnValue.NONE));
            return Visit.COUNTED;
        } catch (ConditionalCheckFailedException e) {
            return find(code).isPresent() ? Visit.EXHAUSTED : Visit.MISSING;
        }
    }

    /** Deletes the link if {@code owner} owns it, then its counters; false when there was no such link. */
    public boolean delete(String code, String owner) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(code, LINK))
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner))));
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        dynamo.deleteItem(b -> b.tableName(table).key(key(code, STATS)));
        return true;
    }

    /**
     * The stats item is too large to take the update (an item written before referrers were bounded can have
     * reached DynamoDB's 400 KB): its referrers must be folded first ({@link #storedReferrers}, {@link #foldReferrers}).
     */
    public static final class StatsItemTooLarge extends RuntimeException {
        StatsItemTooLarge(String code, Throwable cause) {
            super("the stats item of " + code + " is too large to be updated", cause);
        }
    }

    /** What adding a code's clicks did: how many were new, and the item's referrer counters after the write. */
    public record Added(long counted, boolean replayed, Map<String, Long> referrers) {}

    /**
     * Adds one batch's clicks of a code, each exactly once, in one update when none of them was counted before.
     * The item keeps, per partition, the last offset counted ({@code o_<partition>}, set in the same update as
     * the counters); the update is conditional on every mark being below the tally's first offset. A
     * redelivered batch, whatever its boundaries, fails that condition: the failure returns the stored marks
     * (or, where DynamoDB does not return the item, one consistent read does), and the clicks above them are
     * written with the same condition. Each failure drops at least one click, so this ends.
     */
    public Added addClicks(CodeTally tally, int maxReferrers, Set<String> named, int salt) {
        CodeTally pending = tally;
        boolean replayed = false;
        while (true) {
            Map<String, AttributeValue> after;
            try {
                after = update(pending);
            } catch (ConditionalCheckFailedException counted) {
                replayed = true;
                Map<String, AttributeValue> stored = counted.hasItem() && !counted.item().isEmpty()
                        ? counted.item() : storedStats(pending.code());
                Optional<CodeTally> rest = ClickTally.uncounted(pending, marks(stored), maxReferrers, named, salt);
                if (rest.isEmpty()) {
                    return new Added(0, true, referrers(stored));
                }
                if (rest.get().clicks() == pending.clicks()) {
                    throw new IllegalStateException("the stored offsets of " + tally.code() + " refuse clicks above them");
                }
                pending = rest.get();
                continue;
            }
            return new Added(pending.clicks(), replayed, referrers(after));
        }
    }

    private Map<String, AttributeValue> update(CodeTally tally) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        adds.add("clicks :clicks");
        values.put(":clicks", number(tally.clicks()));
        int i = 0;
        for (Map.Entry<LocalDate, Long> day : tally.byDay().entrySet()) {
            names.put("#d" + i, DAY_PREFIX + day.getKey());
            values.put(":d" + i, number(day.getValue()));
            adds.add("#d" + i + " :d" + i);
            i++;
        }
        i = 0;
        for (Map.Entry<String, Long> referrer : tally.byReferrer().entrySet()) {
            names.put("#r" + i, REFERRER_PREFIX + referrer.getKey());
            values.put(":r" + i, number(referrer.getValue()));
            adds.add("#r" + i + " :r" + i);
            i++;
        }
        i = 0;
        for (Map.Entry<Integer, CodeTally.OffsetRange> offsets : tally.offsets().entrySet()) {
            names.put("#o" + i, OFFSET_PREFIX + offsets.getKey());
            values.put(":of" + i, number(offsets.getValue().first()));
            values.put(":ol" + i, number(offsets.getValue().last()));
            sets.add("#o" + i + " = :ol" + i);
            conditions.add("(attribute_not_exists(#o" + i + ") OR #o" + i + " < :of" + i + ")");
            i++;
        }
        String update = "SET " + String.join(", ", sets) + " ADD " + String.join(", ", adds);
        try {
            return dynamo.updateItem(b -> b.tableName(table).key(key(tally.code(), STATS))
                    .updateExpression(update)
                    .conditionExpression(String.join(" AND ", conditions))
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    // The item after the write tells whether its referrers need folding, without another read.
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
        } catch (ConditionalCheckFailedException refused) {
            throw refused;
        } catch (DynamoDbException e) {
            String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
            if (message != null && message.contains("Item size")) {
                throw new StatsItemTooLarge(tally.code(), e);
            }
            throw e;
        }
    }

    /** The referrer counters of a code's stats item, read consistently (for folding an item too large to update). */
    public Map<String, Long> storedReferrers(String code) {
        return referrers(storedStats(code));
    }

    private Map<String, AttributeValue> storedStats(String code) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(code, STATS)).consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    /**
     * Folds referrer counters into {@code (other)} in one update: each is removed and its count added to
     * {@code (other)}, on condition that none changed since it was read, so that no click moves twice or is lost.
     *
     * @return false when a counter changed meanwhile (the next batch of the code folds again)
     */
    public boolean foldReferrers(String code, Map<String, Long> fold) {
        if (fold.isEmpty()) {
            return true;
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> removes = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        long sum = 0;
        int i = 0;
        for (Map.Entry<String, Long> counter : fold.entrySet()) {
            names.put("#f" + i, REFERRER_PREFIX + counter.getKey());
            values.put(":f" + i, number(counter.getValue()));
            removes.add("#f" + i);
            conditions.add("#f" + i + " = :f" + i);
            sum += counter.getValue();
            i++;
        }
        names.put("#other", REFERRER_PREFIX + Referrer.OTHER);
        values.put(":other", number(sum));
        String update = "REMOVE " + String.join(", ", removes) + " ADD #other :other";
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(code, STATS))
                    .updateExpression(update)
                    .conditionExpression(String.join(" AND ", conditions))
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    private static Map<Integer, Long> marks(Map<String, AttributeValue> item) {
        Map<Integer, Long> marks = new HashMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith(OFFSET_PREFIX)) {
                marks.put(Integer.parseInt(name.substring(OFFSET_PREFIX.length())), Long.parseLong(value.n()));
            }
        });
        return marks;
    }

    private static Map<String, Long> referrers(Map<String, AttributeValue> item) {
        Map<String, Long> referrers = new HashMap<>();
        if (item != null) {
            item.forEach((name, value) -> {
                if (name.startsWith(REFERRER_PREFIX)) {
                    referrers.put(name.substring(REFERRER_PREFIX.length()), Long.parseLong(value.n()));
                }
            });
        }
        return referrers;
    }

    /** The stored counters of a code, with {@code uniqueVisitors} left for the caller (they live in Redis). */
    public LinkStats stats(String code, int topReferrers) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(code, STATS))).item();
        if (item == null || item.isEmpty()) {
            return new LinkStats(0, 0, List.of(), List.of());
        }
        List<LinkStats.DayCount> days = new ArrayList<>();
        List<LinkStats.ReferrerCount> referrers = new ArrayList<>();
        item.forEach((name, value) -> {
            if (name.startsWith(DAY_PREFIX)) {
                days.add(new LinkStats.DayCount(LocalDate.parse(name.substring(DAY_PREFIX.length())), Long.parseLong(value.n())));
            }
        });
        referrers(item).forEach((site, clicks) -> referrers.add(new LinkStats.ReferrerCount(site, clicks)));
        days.sort(Comparator.comparing(LinkStats.DayCount::day));
        referrers.sort(Comparator.comparingLong(LinkStats.ReferrerCount::clicks).reversed()
                .thenComparing(LinkStats.ReferrerCount::referrer));
        long clicks = item.containsKey("clicks") ? Long.parseLong(item.get("clicks").n()) : 0;
        return new LinkStats(clicks, 0, days, referrers.subList(0, Math.min(topReferrers, referrers.size())));
    }

    /**
     * The durable high-water mark of the code counter (see {@link dev.blocks.shortener.domain.DurableBlockSource}):
     * every counter value below it may have been handed out; 0 before any code was issued.
     */
    public long counterFloor() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(COUNTER_PK, COUNTER_SK))
                .consistentRead(true)).item();
        return item == null || !item.containsKey("floor") ? 0 : Long.parseLong(item.get("floor").n());
    }

    /**
     * Claims the counter block [{@code start}, {@code end}): moves the mark to {@code end} if it is at most
     * {@code start}, in one conditional update; empty when claimed, otherwise the mark that refused it (returned by
     * the refusal itself, or read where an emulator does not return it).
     */
    public OptionalLong claimCodeBlock(long start, long end) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(COUNTER_PK, COUNTER_SK))
                    .updateExpression("SET #floor = :end")
                    .conditionExpression("attribute_not_exists(#floor) OR #floor <= :start")
                    .expressionAttributeNames(Map.of("#floor", "floor"))
                    .expressionAttributeValues(Map.of(":start", number(start), ":end", number(end)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return OptionalLong.empty();
        } catch (ConditionalCheckFailedException refused) {
            AttributeValue mark = refused.hasItem() ? refused.item().get("floor") : null;
            return OptionalLong.of(mark != null ? Long.parseLong(mark.n()) : counterFloor());
        }
    }

    /** How long a spooled click's claim is kept: the spool's retention (14 days), after which no copy can come. */
    static final long SPOOL_CLAIM_SECONDS = 14 * 24 * 3600;

    /**
     * Claims a spooled click for the stream record at {@code partition}/{@code offset}: true when this record may
     * count it (never claimed, or claimed by this same record, which a retried or split batch delivers again), false
     * when another record of the same click claimed it first (the spool delivered it twice). One conditional update.
     */
    public boolean claimSpooledClick(String spoolId, int partition, long offset, Instant now) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(SPOOL_PK_PREFIX + spoolId, SPOOL_SK))
                    .updateExpression("SET #p = :p, #o = :o, #ttl = if_not_exists(#ttl, :ttl)")
                    .conditionExpression("attribute_not_exists(#p) OR (#p = :p AND #o = :o)")
                    .expressionAttributeNames(Map.of("#p", "partition", "#o", "offset", "#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":p", number(partition), ":o", number(offset),
                            ":ttl", number(now.getEpochSecond() + SPOOL_CLAIM_SECONDS))));
            return true;
        } catch (ConditionalCheckFailedException claimed) {
            return false;
        }
    }

    static Map<String, AttributeValue> key(String code, String sort) {
        return Map.of(PK, AttributeValue.fromS(code), SK, AttributeValue.fromS(sort));
    }

    private static Map<String, AttributeValue> item(Link link) {
        Map<String, AttributeValue> item = new HashMap<>(key(link.code(), LINK));
        item.put("url", AttributeValue.fromS(link.url()));
        item.put("owner", AttributeValue.fromS(link.owner()));
        item.put("createdAt", AttributeValue.fromS(link.createdAt().toString()));
        if (link.expiresAt() != null) {
            item.put("expiresAt", AttributeValue.fromS(link.expiresAt().toString()));
            // Rounded up: TTL must never remove a link before its exact expiry.
            long seconds = link.expiresAt().getEpochSecond() + (link.expiresAt().getNano() > 0 ? 1 : 0);
            item.put("ttl", number(seconds));
        }
        if (link.maxVisits() != null) {
            item.put("maxVisits", number(link.maxVisits()));
        }
        if (!link.tags().isEmpty()) {
            item.put("tags", AttributeValue.fromL(link.tags().stream().map(AttributeValue::fromS).toList()));
        }
        return item;
    }

    private static Link link(Map<String, AttributeValue> item) {
        AttributeValue expires = item.get("expiresAt");
        AttributeValue max = item.get("maxVisits");
        AttributeValue tags = item.get("tags");
        return new Link(item.get(PK).s(), item.get("url").s(), item.get("owner").s(),
                Instant.parse(item.get("createdAt").s()),
                expires == null ? null : Instant.parse(expires.s()),
                max == null ? null : Long.parseLong(max.n()),
                tags == null ? List.of() : tags.l().stream().map(AttributeValue::s).toList());
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
