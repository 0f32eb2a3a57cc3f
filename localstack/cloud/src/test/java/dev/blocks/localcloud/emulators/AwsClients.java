package dev.blocks.localcloud.emulators;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SDK clients pointed at the emulators, configured the way the functions configure theirs for a local cloud. */
final class AwsClients {

    private static final Region REGION = Region.US_EAST_1;
    private static final StaticCredentialsProvider S3_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Emulator.ACCESS_KEY, S3Emulator.SECRET_KEY));
    private static final StaticCredentialsProvider ANY_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private AwsClients() {}

    static S3Client s3(S3Emulator s3) {
        return S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .forcePathStyle(true)
                .region(REGION)
                .credentialsProvider(S3_CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static S3Presigner presigner(S3Emulator s3) {
        return S3Presigner.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .region(REGION)
                .credentialsProvider(S3_CREDENTIALS)
                .build();
    }

    static SqsClient sqs(SqsEmulator sqs) {
        return SqsClient.builder()
                .endpointOverride(URI.create(sqs.endpoint()))
                .region(REGION)
                .credentialsProvider(ANY_CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static DynamoDbClient dynamoDb(DynamoDbLocalEmulator dynamoDb) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(dynamoDb.endpoint()))
                .region(REGION)
                .credentialsProvider(ANY_CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
