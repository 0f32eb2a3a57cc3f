package dev.blocks.localcloud.junit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local cloud for JUnit 5 tests, started once per test JVM for each distinct configuration:
 *
 * <pre>{@code
 * @RegisterExtension
 * static LocalCloudExtension cloud = LocalCloudExtension.terraform("localstack/test-function/terraform")
 *         .var("test_schedule", "rate(2 seconds)");
 * }</pre>
 *
 * <p>{@code blocks.cloud} (system property) or {@code BLOCKS_CLOUD} (environment) chooses the cloud: {@code local}
 * runs the Docker-free cloud server as a child JVM; {@code localstack} runs LocalStack, Redis and Kafka containers
 * with Testcontainers and points the cloud server at them (tests are skipped when no Docker engine answers);
 * {@code auto}, the default, picks LocalStack when Docker answers. The cloud stops when JUnit finishes, or at the
 * latest when the JVM exits.
 */
public final class LocalCloudExtension implements BeforeAllCallback {


    private final CloudRequest request;
    private volatile RunningClouds.InUse inUse;

    private LocalCloudExtension(CloudRequest request) {
        this.request = request;
    }

    /** The resources, functions and wiring of a Terraform root module (relative to the repository root). */
    public static LocalCloudExtension terraform(String directory) {
        return new LocalCloudExtension(CloudRequest.terraform(directory));
    }

    /** Only these services (dynamodb, sqs, s3, kafka, redis), with nothing provisioned. */
    public static LocalCloudExtension services(String... names) {
        return new LocalCloudExtension(CloudRequest.services(List.of(names)));
    }

    /** The same cloud with one more Terraform variable. */
    public LocalCloudExtension var(String name, String value) {
        return new LocalCloudExtension(request.withVar(name, value));
    }

    /**
     * Starts the cloud if no test has yet. It stops when the test JVM exits (or, should that JVM be killed, when its
     * standard input closes), not when JUnit Jupiter's tests end: jqwik's properties run after them, on their own
     * engine, and use the same cloud.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    /** Where each service answers; starts the cloud if no test has yet. */
    public Endpoints endpoints() {
        return start().endpoints();
    }

    /** An absolute URI on the HTTP gateway, e.g. {@code gatewayUri("/v1/links")}. */
    public URI gatewayUri(String path) {
        String gateway = endpoints().gateway();
        String base = gateway.endsWith("/") ? gateway.substring(0, gateway.length() - 1) : gateway;
        return URI.create(base + (path.startsWith("/") ? path : "/" + path));
    }

    /** Stops a service gracefully (redis, kafka, dynamodb, sqs, s3); its port stays reserved for {@link #startService}. */
    public void stopService(String name) {
        admin().post("services/" + name + "/stop");
    }

    public void startService(String name) {
        admin().post("services/" + name + "/start");
    }

    /** Kills a service abruptly, as a crash would. */
    public void killService(String name) {
        admin().post("services/" + name + "/kill");
    }

    /**
     * Suspends a service that runs as a process of its own (redis) with SIGSTOP: its connections stay open and go
     * unanswered, as with a stalled host. {@link #thawService} resumes it.
     */
    public void freezeService(String name) {
        admin().post("services/" + name + "/freeze");
    }

    public void thawService(String name) {
        admin().post("services/" + name + "/thaw");
    }

    /** Kills a function's running process; the Lambda service starts a new one on the next invocation. */
    public void killFunction(String name) {
        admin().post("functions/" + name + "/kill");
    }

    /** Fires a schedule now instead of waiting for its next tick. */
    public void fireSchedule(String name) {
        admin().post("schedules/" + name + "/fire");
    }

    /**
     * How many {@code operation} requests (e.g. {@code GetItem}) on {@code table} reached DynamoDB through this cloud
     * since it started: functions, provisioning and tests alike (the cloud's DynamoDB endpoint counts what it
     * forwards).
     */
    public long dynamoDbRequests(String table, String operation) {
        return admin().dynamoDbRequests().path(table).path(operation).asLong(0);
    }

    /**
     * The operating-system process ids of {@code function}'s running instances (empty when none runs, or when the
     * cloud is not the Docker-free one); for tests that measure an instance, e.g. its peak memory in /proc.
     */
    public List<Long> functionProcessIds(String function) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode status : admin().functions()) {
            if (status.path("name").asText().equals(function)) {
                status.path("processIds").forEach(id -> ids.add(id.asLong()));
            }
        }
        return ids;
    }

    private AdminApi admin() {
        return new AdminApi(endpoints().admin());
    }

    private RunningClouds.InUse start() {
        RunningClouds.InUse current = inUse;
        if (current == null || !RunningClouds.running(current.key())) {
            synchronized (this) {
                current = inUse;
                if (current == null || !RunningClouds.running(current.key())) {
                    current = RunningClouds.obtain(request);
                    inUse = current;
                }
            }
        }
        return current;
    }

    @Override
    public String toString() {
        return "LocalCloudExtension[" + request.describe() + "]";
    }
}
