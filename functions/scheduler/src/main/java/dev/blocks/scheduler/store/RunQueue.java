package dev.blocks.scheduler.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The run queue (delayed delivery: DelaySeconds is the time left, so the message appears when the run is due) and
 * its dead-letter queue. Queue names come from configuration; their URLs are looked up once per process.
 */
public final class RunQueue {

    /** A run to send and its delay. */
    public record Delayed(RunMessage message, int delaySeconds) {}

    /** SendMessageBatch's limit. */
    public static final int MAX_BATCH = 10;

    private final SqsClient sqs;
    private final String queueName;
    private final String deadLetterName;
    private volatile String queueUrl;
    private volatile String deadLetterUrl;

    public RunQueue(SqsClient sqs, String queueName, String deadLetterName) {
        this.sqs = sqs;
        this.queueName = queueName;
        this.deadLetterName = deadLetterName;
    }

    public void send(RunMessage message, int delaySeconds) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl()).messageBody(message.toJson()).delaySeconds(delaySeconds));
    }

    /** Sends in batches of ten; returns the runs that could not be sent. */
    public List<Delayed> sendAll(List<Delayed> runs) {
        List<Delayed> failed = new ArrayList<>();
        for (int from = 0; from < runs.size(); from += MAX_BATCH) {
            List<Delayed> chunk = runs.subList(from, Math.min(runs.size(), from + MAX_BATCH));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .messageBody(chunk.get(i).message().toJson()).delaySeconds(chunk.get(i).delaySeconds()).build());
            }
            try {
                SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl()).entries(entries));
                for (BatchResultErrorEntry error : response.failed()) {
                    failed.add(chunk.get(Integer.parseInt(error.id())));
                }
            } catch (RuntimeException e) {
                failed.addAll(chunk);
            }
        }
        return failed;
    }

    /** Hides a received message for {@code seconds} more (a lease extension, or the wait before a retry). */
    public void hide(String receiptHandle, int seconds) {
        sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl()).receiptHandle(receiptHandle).visibilityTimeout(seconds));
    }

    /** Parks a run that exhausted its attempts, with why, for an operator to inspect or redrive. */
    public void deadLetter(RunMessage message, int attempts, String error) {
        sqs.sendMessage(b -> b.queueUrl(deadLetterUrl()).messageBody(message.toJson())
                .messageAttributes(Map.of(
                        "attempts", MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(attempts)).build(),
                        "error", MessageAttributeValue.builder().dataType("String").stringValue(error == null || error.isEmpty() ? "unknown" : error).build())));
    }

    public String queueUrl() {
        String url = queueUrl;
        if (url == null) {
            url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
            queueUrl = url;
        }
        return url;
    }

    private String deadLetterUrl() {
        String url = deadLetterUrl;
        if (url == null) {
            url = sqs.getQueueUrl(b -> b.queueName(deadLetterName)).queueUrl();
            deadLetterUrl = url;
        }
        return url;
    }
}
