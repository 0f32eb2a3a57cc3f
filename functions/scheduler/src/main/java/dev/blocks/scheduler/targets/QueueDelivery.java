package dev.blocks.scheduler.targets;

import dev.blocks.scheduler.domain.Target;
import dev.blocks.kit.sqs.QueueUrls;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * SQS targets: the payload is the message body; the run's identity travels as message attributes. On a FIFO
 * queue the idempotency key is also the deduplication id, so SQS itself drops a repeated delivery within 5 minutes.
 */
public final class QueueDelivery {

    private final SqsClient sqs;
    private final QueueUrls urls;

    public QueueDelivery(SqsClient sqs) {
        this.sqs = sqs;
        this.urls = new QueueUrls(sqs);
    }

    void deliver(Target.Queue target, Delivery delivery) throws DeliveryFailed {
        try {
            String url = urls.of(target.queue());
            boolean fifo = target.queue().endsWith(".fifo");
            sqs.sendMessage(b -> {
                b.queueUrl(url).messageBody(delivery.payload()).messageAttributes(Map.of(
                        "idempotency-key", text(delivery.idempotencyKey()),
                        "job-id", text(delivery.jobId()),
                        "scheduled-at", text(delivery.scheduledAt().toString()),
                        "attempt", MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(delivery.attempt())).build()));
                if (fifo) {
                    b.messageGroupId(delivery.jobId()).messageDeduplicationId(dedupId(delivery.idempotencyKey()));
                }
            });
        } catch (SdkException e) {
            throw new DeliveryFailed("SQS " + target.queue() + ": " + e.getMessage(), e);
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static String dedupId(String key) {
        return key.replaceAll("[^A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]", "_");
    }
}
