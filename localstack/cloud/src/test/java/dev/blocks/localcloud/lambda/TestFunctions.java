package dev.blocks.localcloud.lambda;

import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.spec.FunctionSpec;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Functions made of this module's test classes, run through the Runtime Interface Client like any JVM function. */
public final class TestFunctions {

    private TestFunctions() {
    }

    /** The test-classes directory, used as the artifact of every test function. */
    public static Path artifact() {
        try {
            return Path.of(TestFunctions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code concurrency}: the reserved concurrency, 0 or less for none reserved. */
    public static FunctionSpec function(String name, String handlerClass, int timeoutSeconds, int concurrency,
                                        Map<String, String> environment) {
        return reserved(name, handlerClass, timeoutSeconds, concurrency <= 0 ? -1 : concurrency, environment);
    }

    /** {@code reserved}: Terraform's reserved_concurrent_executions (-1 none, 0 throttled entirely). */
    public static FunctionSpec reserved(String name, String handlerClass, int timeoutSeconds, int reserved,
                                        Map<String, String> environment) {
        return new FunctionSpec(name, "java17", "dev.blocks.localcloud.testfunctions." + handlerClass,
                artifact(), environment, 256, timeoutSeconds, reserved);
    }

    /** Lambda's execution model, with the first instance kept warm and a generous init limit for busy machines. */
    public static LambdaSettings settings(Path dir, Endpoints endpoints) {
        return settings(dir, endpoints, ExecutionModel.aws().withPrewarm(true).withInitTimeout(Duration.ofSeconds(60)));
    }

    public static LambdaSettings settings(Path dir, Endpoints endpoints, ExecutionModel execution) {
        return new LambdaSettings(endpoints, LambdaSettings.ACCOUNT_ID, dir.resolve("work"), dir.resolve("logs"),
                "test-" + UUID.randomUUID(), execution);
    }

    /** An SDK Lambda client of the Invoke API at {@code url}, as an application would build one. */
    public static software.amazon.awssdk.services.lambda.LambdaClient lambdaClient(String url) {
        return software.amazon.awssdk.services.lambda.LambdaClient.builder()
                .endpointOverride(java.net.URI.create(url))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .build();
    }

    public static Endpoints endpoints(String gateway, String lambda) {
        return new Endpoints(gateway, lambda, "http://127.0.0.1:4566", "http://127.0.0.1:4567",
                "http://127.0.0.1:4568", "127.0.0.1:9092", "redis://127.0.0.1:6399", null, "us-east-1", "test",
                "test");
    }
}
