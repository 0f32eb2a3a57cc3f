package dev.blocks.shortener.store;

import dev.blocks.kit.sqs.QueueUrls;
import dev.blocks.shortener.domain.Click;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where a click goes when Kafka cannot take it: an SQS queue ({@code <prefix>-clicks-spool}) that the
 * clicks-replay function publishes into the click stream once the broker is back. Each spooled click gets an id of
 * its own, which the clicks function claims before counting it: SQS delivers at least once and the replay may
 * publish a click twice, and the id is what keeps it counted once.
 */
public final class ClickSpool {

    private final SqsClient sqs;
    private final QueueUrls urls;
    private final String queue;

    public ClickSpool(SqsClient sqs, QueueUrls urls, String queue) {
        this.sqs = sqs;
        this.urls = urls;
        this.queue = queue;
    }

    /** One SendMessage round trip; throws the SDK's exception when SQS does not take it. */
    void spool(Click click) {
        String body = new String(ClickJson.encode(click, UUID.randomUUID().toString()), StandardCharsets.UTF_8);
        sqs.sendMessage(b -> b.queueUrl(urls.of(queue)).messageBody(body));
    }
}
