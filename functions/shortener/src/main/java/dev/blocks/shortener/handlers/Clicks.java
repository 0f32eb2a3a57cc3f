package dev.blocks.shortener.handlers;

import dev.blocks.kit.lambda.KafkaFunction;
import dev.blocks.kit.lambda.KafkaRecord;
import dev.blocks.shortener.domain.ClickTally;
import dev.blocks.shortener.domain.CodeTally;
import dev.blocks.shortener.domain.DeliveredClick;
import dev.blocks.shortener.store.ClickJson;
import dev.blocks.shortener.store.LinkTable;
import dev.blocks.shortener.store.Metrics;
import dev.blocks.shortener.store.RedisVisitors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * clicks: folds each Kafka batch into one counter update per code (not per click) and the batch's visitors into
 * each code's HyperLogLog. Both writes are idempotent per batch (offset-guarded counters, set-like HLL), so a
 * failed batch is simply thrown back to Lambda, which delivers it again.
 */
@ApplicationScoped
@Named(Clicks.NAME)
class Clicks implements KafkaFunction {

    static final String NAME = "clicks";

    private static final Logger LOG = Logger.getLogger(Clicks.class);

    private final LinkTable table;
    private final RedisVisitors visitors;
    private final Metrics metrics;
    private final ShortenerConfig config;

    Clicks(LinkTable table, RedisVisitors visitors, Metrics metrics, ShortenerConfig config) {
        this.table = table;
        this.visitors = visitors;
        this.metrics = metrics;
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onRecords(List<KafkaRecord> records) {
        List<DeliveredClick> clicks = new ArrayList<>(records.size());
        for (KafkaRecord record : records) {
            try {
                clicks.add(new DeliveredClick(ClickJson.decode(record.value()), record.partition(), record.offset()));
            } catch (RuntimeException e) {
                // A malformed event can never succeed: skipping it keeps one bad record from stalling the stream.
                LOG.warnf("skipping unreadable click at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
        List<CodeTally> tallies = ClickTally.of(clicks, config.clicks().maxReferrersPerBatch());
        for (CodeTally tally : tallies) {
            if (!table.addClicks(tally)) {
                metrics.increment(Metrics.BATCHES_REPLAYED);
            }
        }
        Map<String, Set<String>> visitorsByCode = new LinkedHashMap<>();
        tallies.forEach(t -> visitorsByCode.put(t.code(), t.visitors()));
        visitors.add(visitorsByCode);
        metrics.flushIfDue();
    }
}
