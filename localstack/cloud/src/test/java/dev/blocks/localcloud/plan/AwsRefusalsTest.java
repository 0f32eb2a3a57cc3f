package dev.blocks.localcloud.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.blocks.localcloud.spec.BucketSpec;
import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.QueueMappingSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What AWS refuses when it creates resources is refused by the local cloud's start too, naming the resource and
 * attribute, and the same thing done right next to it is accepted; lenient, the cloud starts anyway.
 */
class AwsRefusalsTest {

    private static final Path FIXTURE = Fixtures.fixture("refused");

    private static String plan;
    private static List<String> problems;

    @BeforeAll
    static void readTheFixture() throws TerraformException {
        plan = Fixtures.plan(FIXTURE);
        PlanWiringException failure = catchThrowableOfType(PlanWiringException.class,
                () -> PlanReader.read(plan, FIXTURE));
        assertThat(failure).as("reading a plan AWS would refuse").isNotNull();
        problems = failure.problems();
    }

    @Test
    void aQueueWhoseVisibilityTimeoutIsBelowTheTimeoutOfItsFunction() {
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith(
                "aws_lambda_event_source_mapping.short_visibility: event_source_arn is queue short-visibility, whose"
                        + " visibility_timeout_seconds (30) is less than the timeout of function slow (60 s)"));
    }

    @Test
    void moreThanTenMessagesOfAStandardQueueWithoutABatchingWindow() {
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith(
                "aws_lambda_event_source_mapping.bulk: batch_size 50 is above 10 without a batching window"));
    }

    @Test
    void moreThanTenMessagesOfAFifoQueue() {
        assertThat(problems).contains("aws_lambda_event_source_mapping.orders: batch_size 20 is above 10, the most"
                + " Lambda takes from a FIFO queue (orders.fifo)");
    }

    @Test
    void aKafkaTopicTheStackDoesNotDeclare() {
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith(
                "aws_lambda_event_source_mapping.undeclared_topic: topics [undeclared] are not in the root output"
                        + " kafka_topics"));
    }

    @Test
    void anS3NotificationToAQueueWithoutPolicy() {
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith(
                "aws_s3_bucket_notification.uploads: queue.0.queue_arn is queue no-policy, which has no queue policy"
                        + " let s3.amazonaws.com send messages (sqs:SendMessage) for bucket uploads"));
    }

    @Test
    void anS3NotificationToAQueueWhosePolicyAllowsAnotherBucketOnly() {
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith(
                "aws_s3_bucket_notification.reports: queue.0.queue_arn is queue other-bucket, whose queue policy does"
                        + " not let s3.amazonaws.com send messages (sqs:SendMessage) for bucket reports"));
    }

    @Test
    void nothingElseIsRefused() {
        // Not refused: a long enough visibility timeout, a batch with a window, a declared topic, and the images
        // bucket, whose queue policy lets S3 send for it.
        assertThat(problems).hasSize(6);
    }

    @Test
    void lenientStartsWithEverythingInThePlan() {
        CloudSpec spec = PlanReader.read(plan, FIXTURE, true);

        assertThat(spec.queueMappings()).extracting(QueueMappingSpec::queueName)
                .containsExactly("bulk", "long-visibility", "orders.fifo", "short-visibility", "windowed");
        assertThat(spec.kafkaTopics()).containsExactly("declared", "undeclared");
        assertThat(spec.buckets()).extracting(BucketSpec::name).containsExactly("images", "reports", "uploads");
    }
}
