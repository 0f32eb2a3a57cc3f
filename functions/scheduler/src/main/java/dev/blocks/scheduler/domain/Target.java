package dev.blocks.scheduler.domain;

import java.util.Map;

/** Where a run delivers the job's payload. */
public sealed interface Target {

    String type();

    /** An SQS queue on the deployment's allow-list, by name. */
    record Queue(String queue) implements Target {
        @Override
        public String type() {
            return "sqs";
        }
    }

    /** A Kafka topic of the deployment's cluster, on its allow-list. */
    record Topic(String topic) implements Target {
        @Override
        public String type() {
            return "kafka";
        }
    }

    /**
     * An HTTP(S) endpoint; only public addresses unless a host is explicitly allowed. Headers often carry bearer
     * tokens, so they are never stored in the clear: before the job is written, {@code headers} keeps only their
     * names (values redacted) and {@code sealedHeaders} the whole set, encrypted for this job (null when there are
     * none, or before sealing).
     */
    record Http(String url, String method, Map<String, String> headers, String sealedHeaders) implements Target {

        public Http(String url, String method, Map<String, String> headers) {
            this(url, method, headers, null);
        }

        @Override
        public String type() {
            return "http";
        }
    }

    /** A Lambda function on the deployment's allow-list (never one of this stack), invoked synchronously. */
    record Function(String function) implements Target {
        @Override
        public String type() {
            return "lambda";
        }
    }
}
