package dev.blocks.localcloud.emulators;

import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * ElasticMQ in this JVM, speaking the SQS query and JSON protocols (delays, visibility timeouts, redrive to a
 * dead-letter queue, FIFO deduplication). Queues live in memory: a restart starts with none.
 */
public final class SqsEmulator extends ServerEmulator {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";

    private SQSRestServer server;
    private volatile String region = REGION;

    public SqsEmulator() {
        super("sqs");
    }

    @Override
    void launch(int port) {
        server = SQSRestServerBuilder
                .withInterface("127.0.0.1")
                .withPort(port)
                // queue URLs name this address rather than ElasticMQ's default localhost:9324
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                .withAWSRegion(region)
                .withAWSAccountId(ACCOUNT_ID)
                .start();
        server.waitUntilStarted();
    }

    @Override
    void halt() {
        if (server != null) {
            SQSRestServer stopping = server;
            server = null;
            stopping.stopAndWait();
        }
    }

    @Override
    boolean healthy() throws Exception {
        return answersHttp(URI.create(httpEndpoint() + "/?Action=ListQueues"));
    }

    @Override
    public String endpoint() {
        return httpEndpoint();
    }

    /**
     * The region queue ARNs name: the plan's, so that an ARN Terraform built matches the one SQS reports. Restarts
     * a running server (before provisioning, nothing is lost).
     */
    public synchronized void region(String value) throws Exception {
        if (value.equals(region)) {
            return;
        }
        region = value;
        if (running()) {
            stop();
            start();
        }
    }

    /** The URL ElasticMQ gives a queue of this name (the form SQS clients get from GetQueueUrl). */
    public String queueUrl(String queueName) {
        return httpEndpoint() + "/" + ACCOUNT_ID + "/" + queueName;
    }
}
