package dev.blocks.localcloud;

import dev.blocks.localcloud.junit.Endpoints;
import java.net.URI;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The clients the local cloud itself uses on its services (to provision them, to deliver S3 notifications);
 * a client is null when its service is not part of this cloud.
 */
final class ServiceClients implements AutoCloseable {

    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final S3Client s3;
    private final Admin kafka;

    ServiceClients(Endpoints endpoints, boolean needKafka) {
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(endpoints.accessKeyId(), endpoints.secretAccessKey()));
        Region region = Region.of(endpoints.region());
        this.dynamo = endpoints.dynamodb() == null ? null : DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoints.dynamodb())).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
        this.sqs = endpoints.sqs() == null ? null : SqsClient.builder()
                .endpointOverride(URI.create(endpoints.sqs())).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
        this.s3 = endpoints.s3() == null ? null : S3Client.builder()
                .endpointOverride(URI.create(endpoints.s3())).region(region).credentialsProvider(credentials)
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create()).build();
        this.kafka = endpoints.kafka() == null || !needKafka ? null
                : Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafka()));
    }

    DynamoDbClient dynamo() {
        return dynamo;
    }

    SqsClient sqs() {
        return sqs;
    }

    S3Client s3() {
        return s3;
    }

    Admin kafka() {
        return kafka;
    }

    @Override
    public void close() {
        if (dynamo != null) {
            dynamo.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
