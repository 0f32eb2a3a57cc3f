package dev.blocks.localcloud.events;

import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.lambda.FunctionInvoker.FunctionError;
import dev.blocks.localcloud.spec.QueueMappingSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * An SQS event source mapping: pollers long-poll the queue, hand each batch to the function and delete what
 * succeeded. What is not deleted (a function error, an invalid partial response, the items the function reported
 * failed) becomes visible again after the queue's visibility timeout, so the queue's own maxReceiveCount and
 * dead-letter redrive apply exactly as behind real Lambda.
 */
public final class SqsEventSource implements EventSource {

    private static final Logger LOG = LoggerFactory.getLogger(SqsEventSource.class);
    private static final int MAX_MESSAGES_PER_RECEIVE = 10;
    private static final int MAX_WAIT_SECONDS = 20;
    private static final int STANDARD_QUEUE_POLLERS = 3;
    /**
     * Lambda long-polls for 20 s; a short long-poll keeps {@link #stop()} quick, since a blocked receive cannot be
     * cut short through a caller's SqsClient.
     */
    private static final Duration DEFAULT_RECEIVE_WAIT = Duration.ofSeconds(2);
    private static final Duration RETRY_AFTER_SQS_ERROR = Duration.ofSeconds(1);

    private final QueueMappingSpec mapping;
    private final SqsClient sqs;
    private final FunctionInvoker invoker;
    private final Duration receiveWait;
    private final int pollerCount;
    private final String region;
    private final String queueArn;
    private final List<Thread> pollers = new ArrayList<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile String queueUrl;
    private volatile boolean running;

    public SqsEventSource(QueueMappingSpec mapping, SqsClient sqs, FunctionInvoker invoker) {
        // FIFO queues too: SQS holds back a message group while one of its messages is in flight, so several
        // pollers keep each group in order and run different groups in parallel, as Lambda does.
        // scaling_config.maximum_concurrency caps the batches in flight; this machine's own cap is lower still.
        this(mapping, sqs, invoker, DEFAULT_RECEIVE_WAIT, mapping.maximumConcurrency() > 0
                ? Math.min(mapping.maximumConcurrency(), STANDARD_QUEUE_POLLERS) : STANDARD_QUEUE_POLLERS);
    }

    SqsEventSource(QueueMappingSpec mapping, SqsClient sqs, FunctionInvoker invoker, Duration receiveWait,
                   int pollers) {
        this.mapping = mapping;
        this.sqs = sqs;
        this.invoker = invoker;
        this.receiveWait = receiveWait;
        this.pollerCount = pollers;
        this.region = sqs.serviceClientConfiguration().region().id();
        this.queueArn = "arn:aws:sqs:" + region + ":" + LocalAccount.ID + ":" + mapping.queueName();
    }

    public QueueMappingSpec mapping() {
        return mapping;
    }

    @Override
    public synchronized void start() {
        if (running || stopping.getCount() == 0) {
            throw new IllegalStateException("the mapping of " + mapping.queueName() + " was already started");
        }
        running = true;
        for (int i = 0; i < pollerCount; i++) {
            Thread poller = new Thread(this::poll, "sqs-esm-" + mapping.queueName() + "-" + i);
            poller.setDaemon(true);
            pollers.add(poller);
            poller.start();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        stopping.countDown();
        for (Thread poller : pollers) {
            try {
                poller.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        pollers.clear();
    }

    private int batchSize() {
        return mapping.batchSize() > 0 ? mapping.batchSize() : MAX_MESSAGES_PER_RECEIVE;
    }

    private void poll() {
        while (running) {
            try {
                List<Message> batch = gather();
                if (!batch.isEmpty()) {
                    deliver(batch);
                }
            } catch (QueueDoesNotExistException e) {
                LOG.warn("queue {} does not exist (yet), trying again", mapping.queueName());
                queueUrl = null;
                pause(RETRY_AFTER_SQS_ERROR);
            } catch (SdkException e) {
                LOG.warn("polling {} failed, trying again: {}", mapping.queueName(), e.toString());
                pause(RETRY_AFTER_SQS_ERROR);
            } catch (RuntimeException e) {
                LOG.error("polling {} failed, trying again", mapping.queueName(), e);
                pause(RETRY_AFTER_SQS_ERROR);
            }
        }
    }

    /**
     * Receives up to a batch: one receive when the batch fits in one and no window is set, otherwise receives
     * until the batch is full or the batching window, counted from the first message, has passed.
     */
    private List<Message> gather() {
        Map<String, Message> batch = new LinkedHashMap<>();
        Duration window = Duration.ofSeconds(Math.max(0, mapping.maximumBatchingWindowSeconds()));
        long windowEnd = 0;
        while (running && batch.size() < batchSize()) {
            int waitSeconds;
            if (batch.isEmpty()) {
                waitSeconds = (int) Math.max(1, Math.min(MAX_WAIT_SECONDS, receiveWait.toSeconds()));
            } else if (window.isZero()) {
                waitSeconds = 0;
            } else {
                long left = windowEnd - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                waitSeconds = (int) Math.min(MAX_WAIT_SECONDS, TimeUnit.NANOSECONDS.toSeconds(left + 999_999_999));
            }
            int wanted = Math.min(MAX_MESSAGES_PER_RECEIVE, batchSize() - batch.size());
            List<Message> received = receive(wanted, waitSeconds);
            if (batch.isEmpty() && !received.isEmpty()) {
                windowEnd = System.nanoTime() + window.toNanos();
            }
            // A message received twice within one window (its visibility ran out) counts once, latest handle.
            received.forEach(m -> batch.put(m.messageId(), m));
            if (window.isZero() && !batch.isEmpty() && received.size() < wanted) {
                break;
            }
        }
        return new ArrayList<>(batch.values());
    }

    private List<Message> receive(int maxMessages, int waitSeconds) {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl())
                        .maxNumberOfMessages(maxMessages)
                        .waitTimeSeconds(waitSeconds)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All"))
                .messages();
    }

    private String queueUrl() {
        String url = queueUrl;
        if (url == null) {
            url = sqs.getQueueUrl(r -> r.queueName(mapping.queueName())).queueUrl();
            queueUrl = url;
        }
        return url;
    }

    private void deliver(List<Message> batch) {
        byte[] response;
        try {
            response = invoker.invoke(mapping.functionName(), SqsEvent.of(batch, queueArn, region));
        } catch (FunctionError e) {
            LOG.info("{} failed on a batch of {} from {} ({}: {}); it comes back after the visibility timeout",
                    mapping.functionName(), batch.size(), mapping.queueName(), e.errorType(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.warn("{} could not be invoked for a batch from {}; it comes back after the visibility timeout",
                    mapping.functionName(), mapping.queueName(), e);
            return;
        }
        List<Message> succeeded = batch;
        if (mapping.reportBatchItemFailures()) {
            Map<String, Message> byId = new LinkedHashMap<>();
            batch.forEach(m -> byId.put(m.messageId(), m));
            try {
                Set<String> failed = PartialBatchResponse.failedMessageIds(response, byId.keySet());
                succeeded = batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
            } catch (PartialBatchResponse.Invalid e) {
                LOG.warn("{} answered a batch from {} with an invalid partial batch response ({}); "
                        + "the whole batch counts as failed", mapping.functionName(), mapping.queueName(),
                        e.getMessage());
                return;
            }
        }
        delete(succeeded);
    }

    private void delete(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += MAX_MESSAGES_PER_RECEIVE) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + MAX_MESSAGES_PER_RECEIVE));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i)).receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl()).entries(entries));
            deleted.failed().forEach(f -> LOG.warn("message {} of {} could not be deleted ({}: {}); it will be "
                            + "delivered again", chunk.get(Integer.parseInt(f.id())).messageId(),
                    mapping.queueName(), f.code(), f.message()));
        }
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
