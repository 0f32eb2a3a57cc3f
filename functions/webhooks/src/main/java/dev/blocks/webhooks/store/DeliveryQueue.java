package dev.blocks.webhooks.store;

import dev.blocks.kit.sqs.QueueUrls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The delivery queue and its dead-letter queue. An attempt due later is sent with {@code DelaySeconds} up to
 * SQS's 15-minute maximum; a longer wait is a chain: the deliverer sends a message that arrives early on again
 * with the time that is left.
 */
public final class DeliveryQueue {

    public static final int MAX_DELAY_SECONDS = 900;
    private static final int BATCH = 10;

    private final SqsClient sqs;
    private final QueueUrls urls;
    private final String queue;
    private final String deadLetters;

    public DeliveryQueue(SqsClient sqs, QueueUrls urls, String queue, String deadLetters) {
        this.sqs = sqs;
        this.urls = urls;
        this.queue = queue;
        this.deadLetters = deadLetters;
    }

    /** Sends the deliveries, ten per round trip, each delayed until its due time (at most 15 minutes). */
    public void send(List<QueuedDelivery> deliveries, Instant now) {
        for (int from = 0; from < deliveries.size(); from += BATCH) {
            List<QueuedDelivery> chunk = deliveries.subList(from, Math.min(deliveries.size(), from + BATCH));
            List<SendMessageBatchRequestEntry> entries = entries(chunk, now);
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(urls.of(queue)).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException(response.failed().size() + " deliveries could not be queued: "
                        + response.failed().get(0).message());
            }
        }
    }

    /** One batch's entries, identified by their index in {@code chunk}. */
    private static List<SendMessageBatchRequestEntry> entries(List<QueuedDelivery> chunk, Instant now) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .messageBody(chunk.get(i).toJson()).delaySeconds(delaySeconds(chunk.get(i).due(), now)).build());
        }
        return entries;
    }

    /**
     * Sends the deliveries like {@link #send(List, Instant)}, but goes on past a batch that fails: answers those
     * that are not on the queue (empty when all are), so that the caller can record exactly what was sent.
     */
    public List<QueuedDelivery> sendAll(List<QueuedDelivery> deliveries, Instant now) {
        List<QueuedDelivery> unsent = new ArrayList<>();
        for (int from = 0; from < deliveries.size(); from += BATCH) {
            List<QueuedDelivery> chunk = deliveries.subList(from, Math.min(deliveries.size(), from + BATCH));
            List<SendMessageBatchRequestEntry> entries = entries(chunk, now);
            try {
                SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(urls.of(queue)).entries(entries));
                response.failed().forEach(f -> unsent.add(chunk.get(Integer.parseInt(f.id()))));
            } catch (SdkException e) {
                unsent.addAll(chunk);
            }
        }
        return unsent;
    }

    public void send(QueuedDelivery delivery, Instant now) {
        sqs.sendMessage(b -> b.queueUrl(urls.of(queue)).messageBody(delivery.toJson())
                .delaySeconds(delaySeconds(delivery.due(), now)));
    }

    /** Parks a message that will not be tried again, for operators (and alarms) to see. */
    public void deadLetter(String body) {
        sqs.sendMessage(b -> b.queueUrl(urls.of(deadLetters)).messageBody(body));
    }

    /** Whole seconds until {@code due}, rounded up so that a message never arrives before it is due by more than jitter. */
    static int delaySeconds(Instant due, Instant now) {
        long millis = Duration.between(now, due).toMillis();
        if (millis <= 0) {
            return 0;
        }
        return (int) Math.min(MAX_DELAY_SECONDS, (millis + 999) / 1000);
    }
}
