package dev.blocks.uploads.it;

import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one local cloud every integration test of the module shares (functions/uploads/terraform), and SDK clients
 * for looking behind the API: the table, the bucket, the queue, the Invoke API.
 */
final class Cloud {

    static final String PREFIX = "uploads-it";
    static final String TABLE = PREFIX + "-uploads";
    static final String BUCKET = PREFIX + "-uploads-000000000000-us-east-1";
    static final String EVENTS_QUEUE = PREFIX + "-uploads-events";
    static final String EVENTS_FUNCTION = PREFIX + "-uploads-events";
    static final String RECONCILE_SCHEDULE = PREFIX + "-uploads-reconcile";
    static final String API_KEYS_FUNCTION = PREFIX + "-api-keys";

    private Cloud() {}

    static LocalCloudExtension extension() {
        return LocalCloudExtension.terraform("functions/uploads/terraform");
    }

    static S3Client s3(LocalCloudExtension cloud) {
        Endpoints e = cloud.endpoints();
        return S3Client.builder().endpointOverride(URI.create(e.s3())).region(Region.of(e.region()))
                .credentialsProvider(credentials(e)).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static DynamoDbClient dynamo(LocalCloudExtension cloud) {
        Endpoints e = cloud.endpoints();
        return DynamoDbClient.builder().endpointOverride(URI.create(e.dynamodb())).region(Region.of(e.region()))
                .credentialsProvider(credentials(e)).httpClient(UrlConnectionHttpClient.create()).build();
    }

    static SqsClient sqs(LocalCloudExtension cloud) {
        Endpoints e = cloud.endpoints();
        return SqsClient.builder().endpointOverride(URI.create(e.sqs())).region(Region.of(e.region()))
                .credentialsProvider(credentials(e)).httpClient(UrlConnectionHttpClient.create()).build();
    }

    static LambdaClient lambda(LocalCloudExtension cloud) {
        Endpoints e = cloud.endpoints();
        return LambdaClient.builder().endpointOverride(URI.create(e.lambda())).region(Region.of(e.region()))
                .credentialsProvider(credentials(e)).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static StaticCredentialsProvider credentials(Endpoints e) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(e.accessKeyId(), e.secretAccessKey()));
    }
}
