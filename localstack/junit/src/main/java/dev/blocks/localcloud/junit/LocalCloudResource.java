package dev.blocks.localcloud.junit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local cloud as a Quarkus test resource: starts (or joins) the cloud and points the Quarkiverse AWS clients,
 * the Redis client and Kafka at it.
 *
 * <pre>{@code
 * @QuarkusTest
 * @RequiresLocalCloud
 * @WithTestResource(value = LocalCloudResource.class, initArgs = {
 *         @ResourceArg(name = "terraform", value = "localstack/test-function/terraform"),
 *         @ResourceArg(name = "var.test_schedule", value = "rate(2 seconds)")})
 * }</pre>
 *
 * <p>Init args: {@code terraform} (a Terraform root module, relative to the repository root), {@code services}
 * (comma-separated: dynamodb, sqs, s3, kafka, redis; default all), and {@code var.NAME} for each Terraform variable.
 * A field of type {@link Endpoints} in the test class is injected. The same switch as {@link LocalCloudExtension}
 * chooses the cloud ({@link RequiresLocalCloud} turns "cannot run here" into a skip); the cloud outlives the Quarkus
 * application and stops when the test JVM does. The application's test configuration must set
 * {@code quarkus.devservices.enabled=false} (dev services are decided at build time, before this resource runs).
 */
public final class LocalCloudResource implements QuarkusTestResourceLifecycleManager {

    private CloudRequest request = CloudRequest.services(List.of());
    private Endpoints endpoints;

    @Override
    public void init(Map<String, String> initArgs) {
        String terraform = initArgs.get("terraform");
        CloudRequest configured = terraform == null ? CloudRequest.services(List.of()) : CloudRequest.terraform(terraform);
        String services = initArgs.get("services");
        if (services != null) {
            configured = configured.withServices(
                    Arrays.stream(services.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        for (Map.Entry<String, String> arg : initArgs.entrySet()) {
            if (arg.getKey().startsWith("var.")) {
                configured = configured.withVar(arg.getKey().substring("var.".length()), arg.getValue());
            }
        }
        request = configured;
    }

    CloudRequest request() {
        return request;
    }

    @Override
    public Map<String, String> start() {
        endpoints = RunningClouds.obtain(request).endpoints();
        return overrides(endpoints);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(endpoints, new TestInjector.MatchesType(Endpoints.class));
    }

    /** Nothing to do: the cloud is shared by every test of this JVM and stops when the JVM exits. */
    @Override
    public void stop() {}

    /** The Quarkus configuration that sends each client to the cloud; services the cloud does not run are left out. */
    static Map<String, String> overrides(Endpoints endpoints) {
        Map<String, String> config = new LinkedHashMap<>();
        awsClient(config, "dynamodb", endpoints.dynamodb(), endpoints);
        awsClient(config, "sqs", endpoints.sqs(), endpoints);
        awsClient(config, "s3", endpoints.s3(), endpoints);
        if (endpoints.s3() != null) {
            // Emulators (and LocalStack) serve buckets by path, not by bucket-name host.
            config.put("quarkus.s3.path-style-access", "true");
        }
        if (endpoints.redis() != null) {
            config.put("quarkus.redis.hosts", endpoints.redis());
        }
        if (endpoints.kafka() != null) {
            config.put("kafka.bootstrap.servers", endpoints.kafka());
        }
        putIfPresent(config, "local-cloud.gateway", endpoints.gateway());
        putIfPresent(config, "local-cloud.lambda", endpoints.lambda());
        putIfPresent(config, "local-cloud.admin", endpoints.admin());
        return config;
    }

    private static void awsClient(Map<String, String> config, String client, String url, Endpoints endpoints) {
        if (url == null) {
            return;
        }
        String prefix = "quarkus." + client + ".";
        config.put(prefix + "endpoint-override", url);
        config.put(prefix + "aws.region", endpoints.region());
        config.put(prefix + "aws.credentials.type", "static");
        config.put(prefix + "aws.credentials.static-provider.access-key-id", endpoints.accessKeyId());
        config.put(prefix + "aws.credentials.static-provider.secret-access-key", endpoints.secretAccessKey());
    }

    private static void putIfPresent(Map<String, String> config, String key, String value) {
        if (value != null) {
            config.put(key, value);
        }
    }
}
