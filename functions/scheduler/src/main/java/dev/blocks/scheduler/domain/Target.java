package dev.blocks.scheduler.domain;

import java.util.Map;

/** Where a run delivers the job's payload. */
public sealed interface Target {

    String type();

    /** An SQS queue, by name. */
    record Queue(String queue) implements Target {
        @Override
        public String type() {
            return "sqs";
        }
    }

    /** A Kafka topic of the deployment's cluster. */
    record Topic(String topic) implements Target {
        @Override
        public String type() {
            return "kafka";
        }
    }

    /** An HTTP(S) endpoint; only public addresses unless a host is explicitly allowed. */
    record Http(String url, String method, Map<String, String> headers) implements Target {
        @Override
        public String type() {
            return "http";
        }
    }

    /** A Lambda function of this deployment, invoked synchronously through the Invoke API. */
    record Function(String function) implements Target {
        @Override
        public String type() {
            return "lambda";
        }
    }
}
