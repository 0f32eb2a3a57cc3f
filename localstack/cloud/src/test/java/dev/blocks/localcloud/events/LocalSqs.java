package dev.blocks.localcloud.events;

import dev.blocks.localcloud.emulators.SqsEmulator;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The local cloud's SQS emulator (real ElasticMQ in this JVM) and an SDK client for it. */
final class LocalSqs implements AutoCloseable {

    static final String REGION = SqsEmulator.REGION;
    static final String ACCESS_KEY = "local";
    static final String SECRET_KEY = "local";

    private final SqsEmulator server;
    private final URI endpoint;
    private final SqsClient client;

    private LocalSqs(SqsEmulator server) {
        this.server = server;
        this.endpoint = URI.create(server.endpoint());
        this.client = SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    static LocalSqs start() throws Exception {
        SqsEmulator server = new SqsEmulator();
        server.start();
        return new LocalSqs(server);
    }

    URI endpoint() {
        return endpoint;
    }

    SqsClient client() {
        return client;
    }

    String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        return client.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
    }

    /** Messages waiting plus messages received and not yet deleted. */
    int messagesLeft(String queueUrl) {
        Map<QueueAttributeName, String> attributes = client.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    int messagesWaiting(String queueUrl) {
        return Integer.parseInt(client.getQueueAttributes(r -> r.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
