package dev.blocks.localcloud.emulators;

import java.net.URI;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.elasticmq.NodeAddress;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.util.NowProvider;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import scala.Option;

/**
 * ElasticMQ in this JVM, speaking the SQS query and JSON protocols (delays, visibility timeouts, redrive to a
 * dead-letter queue, FIFO deduplication). Queues and their messages live in memory, in an actor system this emulator
 * owns: {@link #stop()} takes the endpoint away (an SQS outage, as clients see one) while the queues, their messages
 * and the clocks of in-flight ones go on, and {@link #start()} serves them again — SQS does not lose a message when
 * its endpoint cannot be reached. {@link #close()} ends them.
 */
public final class SqsEmulator extends ServerEmulator {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";

    private SQSRestServer server;
    private ActorSystem actors;
    private ActorRef queues;
    private volatile String region = REGION;

    public SqsEmulator() {
        super("sqs");
    }

    @Override
    void launch(int port) {
        if (actors == null) {
            actors = ActorSystem.create("local-cloud-sqs");
            queues = actors.actorOf(Props.create(QueueManagerActor.class,
                    () -> new QueueManagerActor(new NowProvider(), StrictSQSLimits$.MODULE$, Option.empty())));
        }
        server = SQSRestServerBuilder
                .withActorSystem(actors)
                .withQueueManagerActor(queues)
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

    /** Stops the server and ends its queues and messages. */
    @Override
    public synchronized void close() {
        stop();
        if (actors != null) {
            ActorSystem ending = actors;
            actors = null;
            queues = null;
            ending.terminate();
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
