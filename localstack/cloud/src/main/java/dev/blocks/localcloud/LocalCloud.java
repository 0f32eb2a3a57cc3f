package dev.blocks.localcloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.blocks.localcloud.emulators.Emulator;
import dev.blocks.localcloud.emulators.Emulators;
import dev.blocks.localcloud.emulators.S3Emulator;
import dev.blocks.localcloud.emulators.S3Notifications;
import dev.blocks.localcloud.events.EventSources;
import dev.blocks.localcloud.events.ScheduleEventSource;
import dev.blocks.localcloud.gateway.HttpGateway;
import dev.blocks.localcloud.gateway.LocalIssuer;
import dev.blocks.localcloud.http.DynamoDbFront;
import dev.blocks.localcloud.http.LoopbackServer;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.lambda.ExecutionModel;
import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.lambda.FunctionStatus;
import dev.blocks.localcloud.lambda.InvokeApi;
import dev.blocks.localcloud.lambda.LambdaService;
import dev.blocks.localcloud.lambda.LambdaSettings;
import dev.blocks.localcloud.plan.PlanReader;
import dev.blocks.localcloud.plan.Provisioner;
import dev.blocks.localcloud.plan.TerraformPlanRunner;
import dev.blocks.localcloud.spec.BucketSpec;
import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.InvocationSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole Docker-free local cloud: emulators (or external services), the resources of a Terraform plan
 * provisioned in them, the Lambda service running every function, the HTTP API gateway, the Invoke API, the
 * event sources and the admin API. {@link #close()} stops everything; no process is left behind.
 */
public final class LocalCloud implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCloud.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** The credentials of the local emulators (S3Proxy checks signatures against these). */
    private static final String LOCAL_ACCESS_KEY = S3Emulator.ACCESS_KEY;
    private static final String LOCAL_SECRET_KEY = S3Emulator.SECRET_KEY;
    /** What LocalStack accepts, and what its documentation uses. */
    private static final String EXTERNAL_ACCESS_KEY = "test";
    private static final String EXTERNAL_SECRET_KEY = "test";

    private final LocalCloudOptions options;
    private final String owner;
    private Path logDir;
    private Path workDir;
    private CloudSpec spec = CloudSpec.empty();
    private Emulators emulators;
    private ServiceClients clients;
    private final List<LoopbackServer> servers = new ArrayList<>();
    private LoopbackServer dynamoDbFrontServer;
    private DynamoDbFront dynamoDbFront;
    private LambdaService lambda;
    private HttpGateway gateway;
    private EventSources events;
    private Endpoints endpoints;
    private Duration startupTime;
    private List<String> topicsCreatedAsOperator = List.of();
    private volatile boolean closed;

    private LocalCloud(LocalCloudOptions options) {
        this.options = options;
        this.owner = "local-cloud-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet();
    }

    /**
     * Starts everything for the plan the options name (or none) and returns once the cloud is ready; nothing
     * stays running when this throws.
     */
    public static LocalCloud start(LocalCloudOptions options) throws Exception {
        return start(options, null);
    }

    /** Starts a cloud for a spec given directly rather than read from a plan (for tests of the assembly). */
    static LocalCloud start(LocalCloudOptions options, CloudSpec givenSpec) throws Exception {
        LocalCloud cloud = new LocalCloud(options);
        try {
            cloud.boot(givenSpec);
        } catch (Exception | Error e) {
            cloud.close();
            throw e;
        }
        return cloud;
    }

    private void boot(CloudSpec givenSpec) throws Exception {
        long begin = System.nanoTime();
        logDir = Files.createDirectories(options.logDir() != null ? options.logDir()
                : Files.createTempDirectory("local-cloud-logs-"));
        workDir = Files.createTempDirectory("local-cloud-work-");
        // Terraform plans while the emulators start: both take seconds.
        CompletableFuture<CloudSpec> planned = givenSpec != null ? CompletableFuture.completedFuture(givenSpec)
                : CompletableFuture.supplyAsync(this::readPlan);
        try {
            emulators = Emulators.start(options.emulated(), logDir, owner);
            spec = planned.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            planned.cancel(true);
        }
        if (options.emulated().contains(Emulators.SQS)) {
            // Queue ARNs name the plan's region, as the ARNs Terraform built do.
            emulators.sqs().region(spec.region());
        }
        Endpoints services = frontDynamoDb(serviceEndpoints());
        requireServicesFor(services);
        clients = new ServiceClients(services, !spec.kafkaTopics().isEmpty());
        Provisioner provisioner = new Provisioner(clients.dynamo(), clients.sqs(), clients.s3(), clients.kafka());
        provisioner.apply(spec);
        if (options.emulated().contains(Emulators.S3)) {
            Map<String, List<BucketSpec.CorsRule>> cors = new java.util.LinkedHashMap<>();
            spec.buckets().forEach(bucket -> cors.put(bucket.name(), bucket.cors()));
            emulators.s3().cors(cors);
        }
        if (options.emulated().contains(Emulators.S3)
                && spec.buckets().stream().anyMatch(bucket -> !bucket.notifications().isEmpty())) {
            // S3Proxy has no notifications of its own (LocalStack does: there it is left to LocalStack).
            S3Notifications notifications = S3Notifications.configure(spec.buckets(), clients.sqs(), spec.region());
            emulators.s3().onObjectCreated(notifications);
            emulators.s3().onObjectRemoved(notifications::removed);
        }

        LoopbackServer gatewayServer = server("gateway", options.gatewayPort());
        LoopbackServer invokeServer = server("lambda", 0);
        LoopbackServer adminServer = server("admin", 0);
        endpoints = new Endpoints(gatewayServer.url(), invokeServer.url(), services.dynamodb(), services.sqs(),
                services.s3(), services.kafka(), services.redis(), adminServer.url(), services.region(),
                services.accessKeyId(), services.secretAccessKey());
        ExecutionModel execution = options.execution();
        lambda = LambdaService.start(spec.functions(), new LambdaSettings(endpoints, LambdaSettings.ACCOUNT_ID,
                workDir.resolve("functions"), logDir, owner, execution));
        // Stacks name the built-in issuer local-cloud://issuer in their JWT authorizers; it lives on the admin endpoint.
        LocalIssuer issuer = LocalIssuer.serve(adminServer);
        gateway = HttpGateway.serve(gatewayServer, issuer.resolve(spec.routes()), lambda, lambda::initialised,
                LambdaSettings.ACCOUNT_ID);
        InvokeApi.serve(invokeServer, lambda);
        AdminApi.serve(adminServer, this);
        servers.forEach(LoopbackServer::start);
        // Inits run a few at a time (see LambdaService); each instance's init has its own deadline, so this bound
        // only guards against a bug.
        List<FunctionStatus> failed = lambda.awaitInit(Duration.ofMinutes(10));
        if (!failed.isEmpty()) {
            // A function that cannot init would fail every invocation: refuse to start rather than serve 502s.
            StringBuilder message = new StringBuilder("functions failed their init:");
            for (FunctionStatus status : failed) {
                Path log = logDir.resolve(status.name() + ".log");
                message.append("\n- ").append(status.name()).append(": ")
                        .append(status.lastInitError() == null ? "still starting" : status.lastInitError())
                        .append(" (").append(log).append(")\n").append(logExcerpt(log, 20));
            }
            throw new IllegalStateException(message.toString());
        }
        invokeAsTerraformDoes(spec.invocations());
        // Only now the topics nobody in the stack created, and only then the event sources: on AWS the mappings of
        // a stack that creates its topics wait for that invocation (the root stack's depends_on), and a consumer
        // subscribed before its topic exists would not see it until its next metadata refresh, minutes later.
        topicsCreatedAsOperator = provisioner.createMissingTopics(spec.kafkaTopics());
        if (!spec.kafkaTopics().isEmpty()) {
            LOG.info("Kafka topics of kafka_topics the stack did not create itself, created as its operator would: {}",
                    topicsCreatedAsOperator.isEmpty() ? "none" : topicsCreatedAsOperator);
        }
        if (!spec.schedules().isEmpty() || !spec.queueMappings().isEmpty() || !spec.kafkaMappings().isEmpty()) {
            events = EventSources.start(spec, lambda, new EventSources.Endpoints(
                    endpoints.sqs() == null ? null : URI.create(endpoints.sqs()), endpoints.accessKeyId(),
                    endpoints.secretAccessKey(), endpoints.region(), endpoints.kafka()));
        }
        if (!execution.prewarm()) {
            // The instances that proved each init go: the first invocation of each function is a cold start.
            lambda.reclaimIdle(java.time.Duration.ZERO);
        }
        startupTime = Duration.ofNanos(System.nanoTime() - begin);
        if (options.endpointsFile() != null) {
            writeEndpoints(options.endpointsFile());
        }
    }

    /**
     * The plan's {@code aws_lambda_invocation}s, in order, as {@code terraform apply} makes them once their function
     * exists: a function error fails the start, as it fails the apply.
     */
    private void invokeAsTerraformDoes(List<InvocationSpec> invocations) {
        for (InvocationSpec invocation : invocations) {
            try {
                byte[] answer = lambda.invoke(invocation.functionName(),
                        invocation.input().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                LOG.info("{}: {} answered {}", invocation.address(), invocation.functionName(),
                        new String(answer, java.nio.charset.StandardCharsets.UTF_8));
            } catch (FunctionInvoker.FunctionError e) {
                throw new IllegalStateException(invocation.address() + ": " + invocation.functionName() + " failed: "
                        + e.getMessage() + " (" + logDir.resolve(invocation.functionName() + ".log") + ")", e);
            }
        }
    }

    private static String logExcerpt(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private CloudSpec readPlan() {
        try {
            if (options.planJson() != null) {
                Path file = options.planJson().toAbsolutePath();
                return PlanReader.read(Files.readString(file), file.getParent(), options.lenient());
            }
            if (options.terraformDir() != null) {
                String json = new TerraformPlanRunner().planJson(options.terraformDir(), options.variables());
                return PlanReader.read(json, options.terraformDir(), options.lenient());
            }
            return CloudSpec.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /** Where each service answers: an external endpoint when one was given, else the emulator, else null. */
    private Endpoints serviceEndpoints() {
        boolean external = options.externalAws() != null;
        return new Endpoints(null, null, endpoint(Emulators.DYNAMODB), endpoint(Emulators.SQS),
                endpoint(Emulators.S3), endpoint(Emulators.KAFKA), endpoint(Emulators.REDIS), null, spec.region(),
                external ? EXTERNAL_ACCESS_KEY : LOCAL_ACCESS_KEY, external ? EXTERNAL_SECRET_KEY : LOCAL_SECRET_KEY);
    }

    /**
     * Puts the counting {@link DynamoDbFront} before DynamoDB (emulated or external): everything that uses DynamoDB
     * through this cloud, the functions and the provisioner included, goes through it. Started at once: the
     * provisioner needs it before the other servers start.
     */
    private Endpoints frontDynamoDb(Endpoints services) throws IOException {
        if (services.dynamodb() == null) {
            return services;
        }
        LoopbackServer server = new LoopbackServer("dynamodb-front", 0);
        dynamoDbFrontServer = server;
        dynamoDbFront = DynamoDbFront.serve(server, services.dynamodb());
        server.start();
        return new Endpoints(services.gateway(), services.lambda(), server.url(), services.sqs(), services.s3(),
                services.kafka(), services.redis(), services.admin(), services.region(), services.accessKeyId(),
                services.secretAccessKey());
    }

    /** DynamoDB requests made through this cloud: table → operation → count; empty without DynamoDB. */
    public Map<String, Map<String, Long>> dynamoDbRequests() {
        return dynamoDbFront == null ? Map.of() : dynamoDbFront.counts();
    }

    private String endpoint(String service) {
        String external = options.external(service);
        if (external != null) {
            return external;
        }
        return emulators.byName().containsKey(service) ? emulators.get(service).endpoint() : null;
    }

    /** A plan that needs a service this cloud does not run is refused up front, naming the service. */
    private void requireServicesFor(Endpoints services) {
        List<String> missing = new ArrayList<>();
        if (!spec.tables().isEmpty() && services.dynamodb() == null) {
            missing.add(Emulators.DYNAMODB + " (tables)");
        }
        boolean notifications = spec.buckets().stream().map(BucketSpec::notifications).anyMatch(n -> !n.isEmpty());
        if ((!spec.queues().isEmpty() || !spec.queueMappings().isEmpty() || notifications) && services.sqs() == null) {
            missing.add(Emulators.SQS + " (queues)");
        }
        if (!spec.buckets().isEmpty() && services.s3() == null) {
            missing.add(Emulators.S3 + " (buckets)");
        }
        if ((!spec.kafkaTopics().isEmpty() || !spec.kafkaMappings().isEmpty()) && services.kafka() == null) {
            missing.add(Emulators.KAFKA + " (topics)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the plan needs services this cloud does not run: "
                    + String.join(", ", missing) + "; add them to --services");
        }
    }

    private LoopbackServer server(String name, int port) throws IOException {
        LoopbackServer server = new LoopbackServer(name, port);
        servers.add(server);
        return server;
    }

    private void writeEndpoints(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(temporary.toFile(), endpoints);
        // Readers poll for the file: it must appear complete or not at all.
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** The value of {@code ChildProcess.OWNER_ENV} in every process this cloud started. */
    public String owner() {
        return owner;
    }

    public CloudSpec spec() {
        return spec;
    }

    public Path logDir() {
        return logDir;
    }

    /**
     * The topics of the stack's {@code kafka_topics} that it did not create itself (no invocation of the plan made
     * them), which this cloud created as the cluster's operator would; empty when the stack created all of them.
     */
    public List<String> kafkaTopicsCreatedAsOperator() {
        return topicsCreatedAsOperator;
    }

    /** From the start call to ready (emulators up, resources provisioned, functions initialised). */
    public Duration startupTime() {
        return startupTime;
    }

    /** One line per route, most specific first: {@code GET /v1/links/{code} -> links-api}. */
    public List<String> routes() {
        return gateway.describeRoutes();
    }

    public LambdaService lambda() {
        return lambda;
    }

    /** The emulated service of that name, if this cloud runs it (an external service is not ours to control). */
    public Optional<Emulator> service(String name) {
        return emulators == null ? Optional.empty() : Optional.ofNullable(emulators.byName().get(name));
    }

    /** Starts a stopped service again and restores what the plan defined in it (see {@link Provisioner#restore}). */
    public void startService(Emulator emulator) throws Exception {
        emulator.start();
        if (clients != null && spec != null) {
            new Provisioner(clients.dynamo(), clients.sqs(), clients.s3(), clients.kafka())
                    .restore(emulator.name(), spec);
        }
    }

    /** Fires the named schedule once now; the future ends with the invocation. */
    public Optional<CompletableFuture<Void>> fireSchedule(String name) {
        return Optional.ofNullable(events).flatMap(sources -> sources.schedule(name)).map(ScheduleEventSource::fire);
    }

    /** Stops everything, newest first; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        quietly("event sources", () -> {
            if (events != null) {
                events.close();
            }
        });
        servers.forEach(server -> quietly(server.name() + " server", server::close));
        quietly("Lambda service", () -> {
            if (lambda != null) {
                lambda.close();
            }
        });
        quietly("DynamoDB front", () -> {
            if (dynamoDbFrontServer != null) {
                dynamoDbFrontServer.close();
            }
        });
        quietly("service clients", () -> {
            if (clients != null) {
                clients.close();
            }
        });
        quietly("emulators", () -> {
            if (emulators != null) {
                emulators.close();
            }
        });
        quietly("work directory", () -> {
            if (workDir != null) {
                deleteRecursively(workDir);
            }
        });
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("stopping the {} failed", what, e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
