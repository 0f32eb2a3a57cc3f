package dev.blocks.shortener.handlers;

import dev.blocks.kit.lambda.KafkaFunction;
import dev.blocks.kit.lambda.KafkaRecord;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.shortener.domain.ClickTally;
import dev.blocks.shortener.domain.CodeTally;
import dev.blocks.shortener.domain.DeliveredClick;
import dev.blocks.shortener.domain.Referrer;
import dev.blocks.shortener.domain.ReferrerBound;
import dev.blocks.shortener.store.ClickJson;
import dev.blocks.shortener.store.LinkTable;
import dev.blocks.shortener.store.MetricNames;
import dev.blocks.shortener.store.RedisVisitors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * clicks: folds each Kafka batch into one counter update per code (not per click) and the batch's visitors into
 * each code's HyperLogLog. Both writes count each click once however the batch is redelivered (counters guarded
 * by a per-partition offset mark, set-like HLL), so a failed batch is simply thrown back to Lambda, which
 * delivers it again, possibly with other boundaries. A code whose stats item names too many referrer sites has
 * the least busy folded into "(other)" by one more update.
 *
 * <p>A click that went through the spool carries a spool id, claimed for its record before it is counted, so a
 * click the spool published twice counts once.
 *
 * <p>One bad record must not stall the stream. A record that is not a click can never succeed: it is skipped and
 * counted ({@link MetricNames#CLICKS_MALFORMED}). A click whose write DynamoDB refuses for a reason of its own (a stats
 * item too large even after folding, a key too long: a {@code ValidationException}) fails the batch, and the
 * mapping, which bisects failed batches, retries the halves until that record is alone, then sends the record of
 * it to the clicks-failed queue and goes on; the other clicks of the batch are counted once.
 */
@ApplicationScoped
@Named(Clicks.NAME)
class Clicks implements KafkaFunction {

    static final String NAME = "clicks";

    /** Folds per update: keeps the update expression well under DynamoDB's 4 KB (about 25 characters a fold). */
    static final int MAX_FOLDS_PER_WRITE = 100;

    /** Codes whose item's referrer names are remembered (at most the bound's limit of names each). */
    static final int NAMED_CODES = 1000;

    private static final Logger LOG = Logger.getLogger(Clicks.class);

    private final LinkTable table;
    private final RedisVisitors visitors;
    private final Metrics metrics;
    private final ShortenerConfig config;
    private final ReferrerBound referrerBound;
    /**
     * The referrer sites each recently written code's item names, as its last write answered: a batch adds to
     * these by name whatever their count in it (no new name). Only a hint: a code missing here (cold start,
     * evicted, another instance's partition) is tallied as if its item named nothing.
     */
    private final Map<String, Set<String>> namedByCode = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > NAMED_CODES;
        }
    });

    Clicks(LinkTable table, RedisVisitors visitors, Metrics metrics, ShortenerConfig config) {
        this.table = table;
        this.visitors = visitors;
        this.metrics = metrics;
        this.config = config;
        this.referrerBound = ReferrerBound.keeping(config.clicks().storedReferrers(), MAX_FOLDS_PER_WRITE);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onRecords(List<KafkaRecord> records) {
        List<DeliveredClick> clicks = new ArrayList<>(records.size());
        Instant now = Instant.now();
        for (KafkaRecord record : records) {
            ClickJson.Read read;
            try {
                read = ClickJson.read(record.value());
            } catch (RuntimeException e) {
                // A malformed event can never succeed: skipping it keeps one bad record from stalling the stream.
                metrics.increment(MetricNames.CLICKS_MALFORMED);
                LOG.warnf("skipping unreadable click at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
                continue;
            }
            // Rare (only clicks that waited out a Kafka outage in the spool), so a write each is affordable.
            if (read.spoolId() != null
                    && !table.claimSpooledClick(read.spoolId(), record.partition(), record.offset(), now)) {
                metrics.increment(MetricNames.SPOOLED_DUPLICATES);
                continue;
            }
            clicks.add(new DeliveredClick(read.click(), record.partition(), record.offset()));
        }
        int maxReferrers = config.clicks().maxReferrersPerBatch();
        int salt = ThreadLocalRandom.current().nextInt();
        List<CodeTally> tallies = ClickTally.of(clicks, maxReferrers, this::named, salt);
        for (CodeTally tally : tallies) {
            LinkTable.Added added;
            try {
                added = table.addClicks(tally, maxReferrers, named(tally.code()), salt);
            } catch (LinkTable.StatsItemTooLarge tooLarge) {
                // Only an item written before referrers were bounded: fold it down once, then add.
                foldAll(tally.code());
                try {
                    added = table.addClicks(tally, maxReferrers, named(tally.code()), salt);
                } catch (LinkTable.StatsItemTooLarge stillTooLarge) {
                    // Too large for what folding frees: this code's clicks fail the batch, for bisection to isolate.
                    LOG.errorf("the stats item of %s cannot take clicks even after folding its referrers; failing"
                            + " the batch (partition offsets %s)", tally.code(), tally.offsets());
                    throw stillTooLarge;
                }
            }
            if (added.replayed()) {
                metrics.increment(MetricNames.BATCHES_REPLAYED);
            }
            // Rare by design: once per (limit - keep) new referrer names of a code, not once per batch.
            Map<String, Long> fold = referrerBound.toFold(added.referrers());
            boolean folded = !fold.isEmpty() && table.foldReferrers(tally.code(), fold);
            if (folded) {
                metrics.increment(MetricNames.REFERRERS_FOLDED);
            }
            namedByCode.put(tally.code(), referrerBound.named(added.referrers(), folded ? fold : Map.of()));
        }
        Map<String, Set<String>> visitorsByCode = new LinkedHashMap<>();
        tallies.forEach(t -> visitorsByCode.put(t.code(), t.visitors()));
        visitors.add(visitorsByCode);
    }

    /** Folds a code's stored referrers down to the bound, {@link #MAX_FOLDS_PER_WRITE} per update. */
    private void foldAll(String code) {
        Map<String, Long> stored = table.storedReferrers(code);
        Map<String, Long> fold;
        while (!(fold = referrerBound.toFold(stored)).isEmpty()) {
            if (!table.foldReferrers(code, fold)) {
                return; // changed meanwhile: the retried batch tries again
            }
            metrics.increment(MetricNames.REFERRERS_FOLDED);
            fold.forEach((site, n) -> {
                stored.remove(site);
                stored.merge(Referrer.OTHER, n, Long::sum);
            });
        }
    }

    private Set<String> named(String code) {
        return namedByCode.getOrDefault(code, Set.of());
    }
}
