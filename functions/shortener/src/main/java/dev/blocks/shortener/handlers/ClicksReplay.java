package dev.blocks.shortener.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.kit.sqs.SqsFunction;
import dev.blocks.kit.sqs.SqsMessage;
import dev.blocks.shortener.store.ClickJson;
import dev.blocks.shortener.store.ClickPublisher;
import dev.blocks.shortener.store.MetricNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * clicks-replay: publishes the clicks redirects spooled while Kafka could not take them (the clicks-spool queue)
 * into the click stream, each as it was spooled, spool id included, so the clicks function counts it once however
 * often it is published. A message is deleted only once the broker acknowledged it. While the broker is still
 * down the first failure of an invocation fails the rest of its batch at once (no timeout per message): the batch
 * comes back after the queue's visibility timeout, and the redrive policy moves a click that keeps failing to the
 * spool's dead-letter queue.
 */
@ApplicationScoped
@Named(ClicksReplay.NAME)
class ClicksReplay implements SqsFunction {

    static final String NAME = "clicks-replay";

    private static final Logger LOG = Logger.getLogger(ClicksReplay.class);

    /** Past the producer's own limits (5 s blocked on metadata, 3 s to deliver): a backstop, never reached. */
    private static final long ACK_WAIT_SECONDS = 8;

    private final ClickPublisher publisher;
    private final Metrics metrics;
    /** Set by a failed publish, cleared at the start of each invocation (Lambda runs one at a time). */
    private boolean brokerDown;

    ClicksReplay(ClickPublisher publisher, Metrics metrics) {
        this.publisher = publisher;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode invoke(JsonNode event) {
        brokerDown = false;
        return SqsFunction.super.invoke(event);
    }

    @Override
    public void onMessage(SqsMessage message) throws Exception {
        byte[] body = message.body().getBytes(StandardCharsets.UTF_8);
        ClickJson.Read read;
        try {
            read = ClickJson.read(body);
        } catch (IllegalArgumentException e) {
            // Only redirects write to the spool; a message that is not a click can never succeed.
            metrics.increment(MetricNames.CLICKS_MALFORMED);
            LOG.warnf("dropping unreadable spooled click %s: %s", message.messageId(), e.getMessage());
            return;
        }
        if (read.spoolId() == null) {
            metrics.increment(MetricNames.CLICKS_MALFORMED);
            LOG.warnf("dropping spooled click %s without a spool id: it could not be counted once", message.messageId());
            return;
        }
        if (brokerDown) {
            throw new IllegalStateException("the click stream refused an earlier click of this batch");
        }
        try {
            publisher.forward(read.click().code(), body).get(ACK_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            brokerDown = true;
            throw e;
        }
        metrics.increment(MetricNames.CLICKS_REPLAYED);
    }
}
