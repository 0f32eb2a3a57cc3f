package dev.blocks.kit.sqs;

import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Queue URLs resolved from names at run time (functions are given names, never URLs), once per queue. */
public final class QueueUrls {

    private final SqsClient sqs;
    private final ConcurrentHashMap<String, String> urls = new ConcurrentHashMap<>();

    public QueueUrls(SqsClient sqs) {
        this.sqs = sqs;
    }

    public String of(String queueName) {
        return urls.computeIfAbsent(queueName, name -> sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
    }
}
