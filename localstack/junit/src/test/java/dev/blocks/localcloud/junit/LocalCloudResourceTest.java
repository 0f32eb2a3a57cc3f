package dev.blocks.localcloud.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalCloudResourceTest {

    private static final Endpoints ALL = new Endpoints("http://127.0.0.1:8080", "http://127.0.0.1:9001",
            "http://127.0.0.1:9002", "http://127.0.0.1:9003", "http://127.0.0.1:9004", "127.0.0.1:9092",
            "redis://127.0.0.1:6390", "http://127.0.0.1:9000", "us-east-1", "test-key", "test-secret");

    @Test
    void everyClientIsSentToTheCloudWithStaticCredentials() {
        Map<String, String> config = LocalCloudResource.overrides(ALL);

        assertThat(config).contains(
                entry("quarkus.dynamodb.endpoint-override", "http://127.0.0.1:9002"),
                entry("quarkus.dynamodb.aws.region", "us-east-1"),
                entry("quarkus.dynamodb.aws.credentials.type", "static"),
                entry("quarkus.dynamodb.aws.credentials.static-provider.access-key-id", "test-key"),
                entry("quarkus.dynamodb.aws.credentials.static-provider.secret-access-key", "test-secret"),
                entry("quarkus.sqs.endpoint-override", "http://127.0.0.1:9003"),
                entry("quarkus.sqs.aws.credentials.type", "static"),
                entry("quarkus.s3.endpoint-override", "http://127.0.0.1:9004"),
                entry("quarkus.s3.path-style-access", "true"),
                entry("quarkus.s3.aws.credentials.static-provider.access-key-id", "test-key"),
                entry("quarkus.redis.hosts", "redis://127.0.0.1:6390"),
                entry("kafka.bootstrap.servers", "127.0.0.1:9092"),
                entry("local-cloud.gateway", "http://127.0.0.1:8080"),
                entry("local-cloud.lambda", "http://127.0.0.1:9001"),
                entry("local-cloud.admin", "http://127.0.0.1:9000"));
    }

    @Test
    void servicesTheCloudDoesNotRunAreLeftToTheApplication() {
        Endpoints redisOnly = new Endpoints("http://127.0.0.1:8080", null, null, null, null, null,
                "redis://127.0.0.1:6390", "http://127.0.0.1:9000", "us-east-1", "test-key", "test-secret");

        Map<String, String> config = LocalCloudResource.overrides(redisOnly);

        assertThat(config).containsEntry("quarkus.redis.hosts", "redis://127.0.0.1:6390");
        assertThat(config.keySet()).noneMatch(key -> key.startsWith("quarkus.dynamodb.")
                || key.startsWith("quarkus.sqs.") || key.startsWith("quarkus.s3.") || key.startsWith("kafka."));
    }

    @Test
    void initArgsNameTheTerraformDirectoryServicesAndVariables() {
        LocalCloudResource resource = new LocalCloudResource();
        resource.init(Map.of(
                "terraform", "localstack/test-function/terraform",
                "services", "sqs, s3",
                "var.test_schedule", "rate(2 seconds)"));

        assertThat(resource.request()).isEqualTo(CloudRequest.terraform("localstack/test-function/terraform")
                .withServices(List.of("s3", "sqs"))
                .withVar("test_schedule", "rate(2 seconds)"));
    }

    @Test
    void withoutInitArgsEveryServiceRunsAndNothingIsProvisioned() {
        LocalCloudResource resource = new LocalCloudResource();
        resource.init(Map.of());

        assertThat(resource.request()).isEqualTo(CloudRequest.services(List.of()));
    }
}
