package dev.blocks.localcloud.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(SharedEmulators.class)
class SqsEmulatorTest {

    private static final int MAX_RECEIVE_COUNT = 2;

    @Test
    void messageReceivedButNeverDeletedEndsInTheDeadLetterQueue(Emulators emulators) {
        try (SqsClient sqs = AwsClients.sqs(emulators.sqs())) {
            String name = "jobs-" + UUID.randomUUID();
            String dlqUrl = sqs.createQueue(request -> request.queueName(name + "-dlq")).queueUrl();
            String dlqArn = sqs.getQueueAttributes(request -> request.queueUrl(dlqUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            String queueUrl = sqs.createQueue(request -> request.queueName(name).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                    QueueAttributeName.REDRIVE_POLICY,
                    "{\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}")))
                    .queueUrl();
            assertThat(queueUrl).startsWith(emulators.sqs().endpoint());
            sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody("poison"));

            int receives = 0;
            List<Message> deadLetters = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (deadLetters.isEmpty() && System.nanoTime() < deadline) {
                receives += sqs.receiveMessage(request -> request.queueUrl(queueUrl).waitTimeSeconds(1)).messages().size();
                deadLetters = sqs.receiveMessage(request -> request.queueUrl(dlqUrl)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            }

            assertThat(deadLetters).extracting(Message::body).containsExactly("poison");
            assertThat(receives).isEqualTo(MAX_RECEIVE_COUNT);
        }
    }

    @Test
    void fifoQueueDropsADuplicateWithinTheDeduplicationWindow(Emulators emulators) {
        try (SqsClient sqs = AwsClients.sqs(emulators.sqs())) {
            String queueUrl = sqs.createQueue(request -> request.queueName("orders-" + UUID.randomUUID() + ".fifo")
                    .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
            for (int i = 0; i < 2; i++) {
                sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody("order-1")
                        .messageGroupId("customer-7").messageDeduplicationId("order-1"));
            }

            List<Message> received = sqs.receiveMessage(request -> request.queueUrl(queueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();

            assertThat(received).extracting(Message::body).containsExactly("order-1");
        }
    }
}
