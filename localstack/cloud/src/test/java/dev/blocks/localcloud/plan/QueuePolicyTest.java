package dev.blocks.localcloud.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Whether a queue's policy lets S3 send a bucket's notifications, as S3's test message at create time finds. */
class QueuePolicyTest {

    private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:events";
    private static final String BUCKET = "arn:aws:s3:::uploads";

    private static boolean allows(String statements) {
        return QueuePolicy.parse("{\"Version\":\"2012-10-17\",\"Statement\":" + statements + "}")
                .allowsS3Notifications(QUEUE, BUCKET);
    }

    @Test
    void allowsTheServicePrincipalForTheBucket() {
        assertThat(allows("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},"
                + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + QUEUE + "\","
                + "\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"" + BUCKET + "\"}}}")).isTrue();
    }

    @Test
    void allowsAnyoneWithWildcardActionsAndResources() {
        assertThat(allows("[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"SQS:*\",\"Resource\":\"*\"}]"))
                .isTrue();
    }

    @Test
    void refusesAnotherAccountOrAnotherAction() {
        assertThat(allows("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},"
                + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + QUEUE + "\","
                + "\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"111111111111\"}}}")).isFalse();
        assertThat(allows("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},"
                + "\"Action\":\"sqs:ReceiveMessage\",\"Resource\":\"" + QUEUE + "\"}")).isFalse();
    }

    @Test
    void refusesWhatADenyWithoutConditionsTakesBackButNotADenyOnOtherKeys() {
        String allow = "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},"
                + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + QUEUE + "\"}";
        assertThat(allows("[" + allow + ",{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sqs:*\"}]"))
                .isFalse();
        assertThat(allows("[" + allow + ",{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sqs:*\","
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]")).isTrue();
    }

    @Test
    void comparesOnlyTheQueueNameWhenThePlanDoesNotKnowItsArn() {
        QueuePolicy policy = QueuePolicy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                + "\"s3.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + QUEUE + "\","
                + "\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"000000000000\"}}}}");

        assertThat(policy.allowsS3Notifications("arn:aws:sqs:::events", BUCKET)).isTrue();
        assertThat(policy.allowsS3Notifications("arn:aws:sqs:::other", BUCKET)).isFalse();
    }

    @Test
    void refusesWhatIsNotAPolicyDocument() {
        assertThatThrownBy(() -> QueuePolicy.parse("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueuePolicy.parse("{")).isInstanceOf(IllegalArgumentException.class);
    }
}
