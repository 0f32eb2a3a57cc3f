package dev.blocks.localcloud.junit;

import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack, Redis and Kafka as containers: the data stores of the LocalStack mode. Functions, the gateway and
 * event sources still come from the cloud server, which is pointed at these with its {@code --external-*} flags.
 * The images are the ones {@code localstack/docker-compose.yml} runs; system properties override them.
 */
final class LocalStackContainers implements AutoCloseable {

    static final String LOCALSTACK_IMAGE = image("blocks.localstack.image", "localstack/localstack:4.4");
    static final String REDIS_IMAGE = image("blocks.redis.image", "redis:7.2-alpine");
    static final String KAFKA_IMAGE = image("blocks.kafka.image", "apache/kafka:4.1.2");

    // LocalStack serves the data stores; lambda, iam, logs, events, apigateway and sts are there so that
    // `terraform apply -var target=localstack` works against the same container.
    private static final String[] SERVICES =
            {"dynamodb", "sqs", "s3", "lambda", "iam", "logs", "events", "apigateway", "sts"};

    private final LocalStackContainer aws;
    private final GenericContainer<?> redis;
    private final KafkaContainer kafka;

    private LocalStackContainers(LocalStackContainer aws, GenericContainer<?> redis, KafkaContainer kafka) {
        this.aws = aws;
        this.redis = redis;
        this.kafka = kafka;
    }

    static LocalStackContainers start() {
        LocalStackContainer aws = new LocalStackContainer(DockerImageName.parse(LOCALSTACK_IMAGE)
                        .asCompatibleSubstituteFor("localstack/localstack"))
                .withServices(SERVICES);
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            aws.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE))
                .withExposedPorts(6379)
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE)
                .asCompatibleSubstituteFor("apache/kafka"));
        LocalStackContainers containers = new LocalStackContainers(aws, redis, kafka);
        try {
            DockerEngine.withTestcontainersLoader(() -> Startables.deepStart(aws, redis, kafka).join());
        } catch (RuntimeException e) {
            containers.close();
            throw e;
        }
        return containers;
    }

    /** The cloud server's flags that make it use these containers instead of its own emulators. */
    List<String> cloudArguments() {
        List<String> args = new ArrayList<>();
        args.add("--external-aws");
        args.add(aws.getEndpoint().toString());
        args.add("--external-redis");
        args.add("redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
        args.add("--external-kafka");
        args.add(kafka.getBootstrapServers());
        return args;
    }

    @Override
    public void close() {
        for (Startable container : List.<Startable>of(kafka, redis, aws)) {
            try {
                container.stop();
            } catch (RuntimeException e) {
                // Testcontainers' reaper removes whatever a failed stop leaves when this JVM exits.
                System.err.println("[local-cloud] could not stop a container: " + e);
            }
        }
    }

    private static String image(String property, String fallback) {
        String configured = System.getProperty(property);
        return configured == null || configured.isBlank() ? fallback : configured;
    }
}
