package dev.blocks.uploads.it;

import dev.blocks.localcloud.junit.CloudClient;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The one local cloud every integration test of the module shares (functions/uploads/terraform), and an S3 client
 * for looking behind the API (the table, queue and Invoke API clients are {@link Api}'s).
 */
final class Cloud {

    static final String PREFIX = "uploads-it";
    static final String TABLE = PREFIX + "-uploads";
    static final String BUCKET = PREFIX + "-uploads-000000000000-us-east-1";
    static final String EVENTS_QUEUE = PREFIX + "-uploads-events";
    static final String EVENTS_FUNCTION = PREFIX + "-uploads-events";
    static final String RECONCILE_SCHEDULE = PREFIX + "-uploads-reconcile";

    private Cloud() {}

    static LocalCloudExtension extension() {
        return LocalCloudExtension.terraform("functions/uploads/terraform");
    }

    static S3Client s3(LocalCloudExtension cloud) {
        Endpoints e = cloud.endpoints();
        return S3Client.builder().endpointOverride(URI.create(e.s3())).region(Region.of(e.region()))
                .credentialsProvider(CloudClient.credentials(e)).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
