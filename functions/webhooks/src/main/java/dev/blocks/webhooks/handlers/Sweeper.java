package dev.blocks.webhooks.handlers;

import dev.blocks.kit.lambda.Invocation;
import dev.blocks.kit.lambda.ScheduledFunction;
import dev.blocks.webhooks.store.MessageTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * webhooks-sweeper: on a schedule, queues the first attempts of messages that are stored but were never put on
 * the delivery queue, {@code sweep-after} after their event was written: their publisher died between writing
 * and sending, or its send failed and the client did not retry with its idempotency key. A publication still
 * under way is younger than {@code sweep-after} (longer than webhooks-out's timeout) and left alone; a message
 * that was in fact queued just before a crash is queued twice, and the deliverer's conditional update records only
 * one of the two. Round trips: one Query per shard of the {@code unsent} index, then per event one
 * SendMessageBatch per 10 messages and one UpdateItem.
 */
@ApplicationScoped
@Named(Sweeper.NAME)
class Sweeper implements ScheduledFunction {

    static final String NAME = "webhooks-sweeper";

    private static final Logger LOG = Logger.getLogger(Sweeper.class);

    private final MessageTable messages;
    private final Fanout fanout;
    private final Duration sweepAfter;
    private final int limit;

    Sweeper(MessageTable messages, Fanout fanout, WebhooksConfig config) {
        this.messages = messages;
        this.fanout = fanout;
        this.sweepAfter = config.events().sweepAfter();
        this.limit = config.events().sweepLimit();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onSchedule(Instant time) {
        Instant now = Instant.now();
        List<MessageTable.StoredEvent> events = messages.unsentBefore(now.minus(sweepAfter), limit);
        int[] sent = {0};
        int[] failed = {0};
        // Events not reached before the invocation must stop are still unsent: the next sweep takes them.
        int swept = Invocation.current().eachInTime(events, event -> {
            List<String> unsent = fanout.sendUnsent(event, now);
            sent[0] += event.unsent().size() - unsent.size();
            failed[0] += unsent.size();
        });
        if (!events.isEmpty()) {
            LOG.infof("sweep: %d of %d event(s) with unsent messages swept; %d message(s) queued, %d still unsent",
                    swept, events.size(), sent[0], failed[0]);
        }
    }
}
