package dev.blocks.ratelimit.it;

import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** The one local cloud every integration test of the module shares (functions/ratelimit/terraform). */
final class Cloud {

    static final String PREFIX = "ratelimit-it";
    static final String API_KEYS_FUNCTION = PREFIX + "-api-keys";
    /** The rule the test stack configures (BLOCKS_RATELIMIT_RULES): gcra, 1 000 000 per minute. */
    static final String CONFIGURED_RULE = "configured-global";
    /** The only owner the test stack lets use the admin API. */
    static final String ADMIN_OWNER = "ops";

    private Cloud() {}

    static LocalCloudExtension extension() {
        return LocalCloudExtension.terraform("functions/ratelimit/terraform");
    }

    static LambdaClient lambda(LocalCloudExtension cloud) {
        Endpoints e = cloud.endpoints();
        return LambdaClient.builder().endpointOverride(URI.create(e.lambda())).region(Region.of(e.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(e.accessKeyId(), e.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
