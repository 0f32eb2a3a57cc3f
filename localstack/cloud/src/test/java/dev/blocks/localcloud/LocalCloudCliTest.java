package dev.blocks.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.lambda.ExecutionModel;
import dev.blocks.localcloud.lambda.TestFunctions;
import dev.blocks.localcloud.spec.BucketSpec;
import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.FunctionSpec;
import dev.blocks.localcloud.spec.QueueSpec;
import dev.blocks.localcloud.spec.TableSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The tools a user of the local cloud runs against it, on one running cloud: the AWS CLI (ListFunctions, Invoke
 * with the log tail) and {@link LocalCloudCli}'s invoke, logs, send, reset and redeploy.
 */
class LocalCloudCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String TABLE = "cli-items";
    private static final String QUEUE = "cli-jobs";
    private static final String EVENTS = "cli-files-events";
    private static final String BUCKET = "cli-files";
    private static final String TOPIC = "cli-clicks";

    @TempDir
    static Path dir;

    private static LocalCloud cloud;
    private static Endpoints endpoints;
    private static Path endpointsFile;
    private static Path versionedZip;
    private static ServiceClients clients;

    @BeforeAll
    static void startCloud() throws Exception {
        versionedZip = dir.resolve("versioned/function.zip");
        writeVersionedZip("v1");
        FunctionSpec versioned = new FunctionSpec("versioned", "java17",
                "dev.blocks.localcloud.testfunctions.VersionHandler", versionedZip, Map.of(), 256, 30, -1);
        CloudSpec spec = new CloudSpec(
                List.of(new TableSpec(TABLE, "id", Optional.empty(), Map.of("id", "S"), List.of(), Optional.empty())),
                List.of(queue(QUEUE), queue(EVENTS)),
                List.of(new BucketSpec(BUCKET, List.of(new BucketSpec.NotificationSpec(EVENTS,
                        List.of("s3:ObjectCreated:*"), "", "")), List.of())),
                List.of(TestFunctions.function("echo", "EchoHandler", 10, 0, Map.of()), versioned),
                List.of(), List.of(), List.of(), List.of(), List.of(TOPIC));
        endpointsFile = dir.resolve("endpoints.json");
        cloud = LocalCloud.start(LocalCloudOptions.defaults().withGatewayPort(0).withEndpointsFile(endpointsFile)
                .withLogDir(dir.resolve("logs"))
                .withExecution(ExecutionModel.aws().withInitTimeout(Duration.ofSeconds(60))), spec);
        endpoints = cloud.endpoints();
        clients = new ServiceClients(endpoints, true);
    }

    @AfterAll
    static void stopCloud() throws Exception {
        if (clients != null) {
            clients.close();
        }
        if (cloud != null) {
            cloud.close();
            assertThat(OwnedProcesses.awaitNone(cloud.owner(), Duration.ofSeconds(10))).isEmpty();
        }
    }

    @Test
    void theAwsCliListsTheFunctionsAndInvokesOneWithItsLogTail() throws Exception {
        assumeTrue(onPath("aws"), "the AWS CLI is not installed");
        JsonNode listed = JSON.readTree(aws("lambda", "list-functions", "--output", "json"));
        List<String> names = new ArrayList<>();
        listed.path("Functions").forEach(function -> names.add(function.path("FunctionName").asText()));
        assertThat(names).containsExactly("echo", "versioned");
        assertThat(listed.path("Functions").get(0).path("FunctionArn").asText())
                .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:echo");

        Path answer = dir.resolve("aws-cli-answer.json");
        JsonNode invoked = JSON.readTree(aws("lambda", "invoke", "--function-name", "echo", "--log-type", "Tail",
                "--payload", "{\"from\":\"aws-cli\"}", answer.toString(), "--output", "json"));
        assertThat(invoked.path("StatusCode").asInt()).isEqualTo(200);
        assertThat(invoked.has("FunctionError")).isFalse();
        JsonNode payload = JSON.readTree(answer.toFile());
        assertThat(payload.path("received").path("from").asText()).isEqualTo("aws-cli");
        String requestId = payload.path("requestId").asText();
        String log = new String(Base64.getDecoder().decode(invoked.path("LogResult").asText()), StandardCharsets.UTF_8);
        assertThat(log).contains("START RequestId: " + requestId, "END RequestId: " + requestId,
                "REPORT RequestId: " + requestId).containsPattern("Billed Duration: \\d+ ms");
    }

    @Test
    void invokePrintsTheAnswerAndTheLogTail() throws Exception {
        Run run = cli("invoke", "echo", "{\"hello\":\"cli\"}");
        assertThat(run.status).as(run.err).isZero();
        JsonNode answer = JSON.readTree(run.out);
        assertThat(answer.path("received").path("hello").asText()).isEqualTo("cli");
        String requestId = answer.path("requestId").asText();
        assertThat(run.err).contains("START RequestId: " + requestId, "REPORT RequestId: " + requestId);

        Path payload = Files.writeString(dir.resolve("payload.json"), "{\"from\":\"a file\"}");
        Run fromFile = cli("invoke", "echo", "@" + payload);
        assertThat(JSON.readTree(fromFile.out).path("received").path("from").asText()).isEqualTo("a file");

        Run unknown = cli("invoke", "nobody", "{}");
        assertThat(unknown.status).isEqualTo(1);
        assertThat(unknown.err).contains("404", "ResourceNotFoundException");
        Run notJson = cli("invoke", "echo", "{oops");
        assertThat(notJson.status).isEqualTo(2);
        assertThat(notJson.err).contains("not JSON");
    }

    @Test
    void logsPrintsAFunctionsLogAndFollowsSeveral() throws Exception {
        String first = JSON.readTree(cli("invoke", "echo").out).path("requestId").asText();
        Run logs = cli("logs", "echo");
        assertThat(logs.status).as(logs.err).isZero();
        assertThat(logs.out).contains("START RequestId: " + first + " Version: $LATEST\n", "REPORT RequestId: " + first);

        ByteArrayOutputStream followed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(followed, true, StandardCharsets.UTF_8);
        Thread follower = new Thread(() -> LocalCloudCli.run(new String[] {"--endpoints", endpointsFile.toString(),
                "logs", "--follow", "echo", "versioned"}, null, out, out, InputStream.nullInputStream()));
        follower.start();
        try {
            String second = JSON.readTree(cli("invoke", "echo").out).path("requestId").asText();
            String third = JSON.readTree(cli("invoke", "versioned").out).path("requestId").asText();
            eventually(() -> text(followed).contains("echo      | REPORT RequestId: " + second)
                            && text(followed).contains("versioned | START RequestId: " + third)
                            && text(followed).contains(" answering " + third),
                    () -> "followed lines of both functions, prefixed with their names; got:\n" + text(followed));
        } finally {
            follower.interrupt();
            follower.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertThat(follower.isAlive()).isFalse();
        assertThat(cli("logs", "nobody").err).contains("no function nobody");
    }

    /** No invocation of this stack creates its topic: the cloud does, as the cluster's operator would. */
    @Test
    void createsTheDeclaredTopicNoInvocationCreated() throws Exception {
        assertThat(cloud.kafkaTopicsCreatedAsOperator()).containsExactly(TOPIC);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafka()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC);
        }
    }

    @Test
    void sendDeliversAMessageAndPutsAnObjectThatNotifies() throws Exception {
        Run sent = cli("send", "queue", QUEUE, "{\"job\":42}");
        assertThat(sent.status).as(sent.err).isZero();
        List<Message> received = receive(QUEUE);
        assertThat(received).extracting(Message::body).containsExactly("{\"job\":42}");
        assertThat(received.get(0).messageId()).isEqualTo(sent.out.trim());

        Path file = Files.writeString(dir.resolve("report.csv"), "a,b\n1,2\n");
        Run put = cli("send", "object", BUCKET, "in/report.csv", file.toString());
        assertThat(put.status).as(put.err).isZero();
        assertThat(clients.s3().getObjectAsBytes(request -> request.bucket(BUCKET).key("in/report.csv")).asUtf8String())
                .isEqualTo("a,b\n1,2\n");
        List<Message> events = receive(EVENTS);
        assertThat(events).hasSize(1);
        JsonNode record = JSON.readTree(events.get(0).body()).path("Records").get(0);
        assertThat(record.path("eventName").asText()).isEqualTo("ObjectCreated:Put");
        assertThat(record.path("s3").path("object").path("key").asText()).isEqualTo("in/report.csv");

        assertThat(cli("send", "queue", "no-such-queue", "x").err).contains("no queue no-such-queue", QUEUE);
    }

    @Test
    void resetEmptiesEveryStoreAndLeavesItUsable() throws Exception {
        clients.dynamo().putItem(request -> request.tableName(TABLE).item(Map.of("id", s("one"))));
        clients.dynamo().putItem(request -> request.tableName(TABLE).item(Map.of("id", s("two"))));
        String queueUrl = queueUrl(QUEUE);
        clients.sqs().sendMessage(request -> request.queueUrl(queueUrl).messageBody("left over"));
        clients.s3().putObject(request -> request.bucket(BUCKET).key("old"), RequestBody.fromString("old"));
        String redis = endpoints.redis();
        try (Jedis jedis = new Jedis(URI.create(redis))) {
            jedis.set("counter", "7");
        }
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(TOPIC, "k", "click")).get();
        }
        // The bucket's notification queue holds the put's event until the reset purges it too.

        Run reset = cli("reset");
        assertThat(reset.status).as(reset.err).isZero();
        JsonNode counts = JSON.readTree(reset.out);
        assertThat(counts.path("tables").path(TABLE).asLong()).isGreaterThanOrEqualTo(2);
        assertThat(counts.path("buckets").path(BUCKET).asLong()).isGreaterThanOrEqualTo(1);
        assertThat(counts.path("kafkaTopics").path(TOPIC).asLong()).isGreaterThanOrEqualTo(1);

        assertThat(clients.dynamo().scan(request -> request.tableName(TABLE)).count()).isZero();
        assertThat(messagesIn(QUEUE)).isZero();
        assertThat(messagesIn(EVENTS)).isZero();
        assertThat(clients.s3().listObjectsV2(request -> request.bucket(BUCKET)).contents()).isEmpty();
        try (Jedis jedis = new Jedis(URI.create(redis))) {
            assertThat(jedis.dbSize()).isZero();
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafka()))) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            long start = admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).all().get().get(partition).offset();
            long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
            assertThat(end).isPositive();
            assertThat(start).isEqualTo(end);
        }

        // Definitions stay: everything takes writes again.
        clients.dynamo().putItem(request -> request.tableName(TABLE).item(Map.of("id", s("three"))));
        assertThat(clients.dynamo().getItem(request -> request.tableName(TABLE).key(Map.of("id", s("three"))))
                .item()).containsKey("id");
        clients.sqs().sendMessage(request -> request.queueUrl(queueUrl).messageBody("fresh"));
        assertThat(receive(QUEUE)).extracting(Message::body).containsExactly("fresh");
        clients.s3().putObject(request -> request.bucket(BUCKET).key("new"), RequestBody.fromString("new"));
        assertThat(receive(EVENTS)).hasSize(1);
        try (var producer = producer()) {
            assertThat(producer.send(new ProducerRecord<>(TOPIC, "k", "again")).get().offset()).isPositive();
        }
    }

    @Test
    void redeployRunsTheRebuiltArtifactWhileAnInvocationInFlightFinishesOnTheOldOne() throws Exception {
        JsonNode before = invokeVersioned("{}");
        assertThat(before.path("version").asText()).isEqualTo("v1");
        writeVersionedZip("v2");
        // Deployed code is an unpacked copy: a rebuilt zip changes nothing until it is redeployed.
        assertThat(invokeVersioned("{}").path("version").asText()).isEqualTo("v1");

        Path gate = dir.resolve("gate");
        String held = "{\"waitFor\":" + JSON.writeValueAsString(gate.toString()) + "}";
        CompletableFuture<JsonNode> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return invokeVersioned(held);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        eventually(() -> busy("versioned") == 1, () -> "the held invocation running");

        Run redeploy = cli("redeploy", "versioned");
        assertThat(redeploy.status).as(redeploy.err).isZero();
        assertThat(redeploy.out).contains("redeployed versioned from " + versionedZip, "1 instance(s) retired");

        JsonNode after = invokeVersioned("{}");
        assertThat(after.path("version").asText()).isEqualTo("v2");
        assertThat(inFlight).isNotDone();
        Files.writeString(gate, "go");
        JsonNode old = inFlight.get(60, TimeUnit.SECONDS);
        assertThat(old.path("version").asText()).isEqualTo("v1");
        assertThat(old.path("pid").asLong()).isEqualTo(before.path("pid").asLong());
        // The retired instance ends once its invocation is answered; the new one serves on.
        long oldPid = old.path("pid").asLong();
        eventually(() -> !OwnedProcesses.running(oldPid),
                () -> "the retired instance's process " + oldPid + " ended");
        assertThat(invokeVersioned("{}").path("pid").asLong()).isEqualTo(after.path("pid").asLong());

        assertThat(cli("redeploy", "nobody").status).isEqualTo(1);
    }

    // ---- helpers

    private record Run(int status, String out, String err) {}

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--endpoints", endpointsFile.toString()));
        all.addAll(List.of(args));
        int status = LocalCloudCli.run(all.toArray(String[]::new), null,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]));
        return new Run(status, text(out), text(err));
    }

    private static String text(ByteArrayOutputStream stream) {
        synchronized (stream) {
            return stream.toString(StandardCharsets.UTF_8);
        }
    }

    private static String aws(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoints.lambda()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("aws.err").toFile());
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", endpoints.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", endpoints.secretAccessKey());
        env.put("AWS_DEFAULT_REGION", endpoints.region());
        // Nothing from the user's own AWS configuration.
        env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
        env.remove("AWS_PROFILE");
        env.remove("AWS_SESSION_TOKEN");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("aws %s: %s", command, Files.readString(dir.resolve("aws.err"))).isZero();
        return out;
    }

    private static boolean onPath(String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(entry -> Files.isExecutable(Path.of(entry, program)));
    }

    private static JsonNode invokeVersioned(String payload) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoints.lambda()
                        + "/2015-03-31/functions/versioned/invocations")).timeout(PATIENCE)
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).as(new String(response.body())).isEmpty();
        return JSON.readTree(response.body());
    }

    private static int busy(String function) {
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoints.admin() + "/functions"))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            for (JsonNode node : JSON.readTree(response.body())) {
                if (node.path("name").asText().equals(function)) {
                    return node.path("busy").asInt();
                }
            }
            return -1;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The deployment zip of the versioned function: its handler class and a version.txt. */
    private static void writeVersionedZip(String version) throws IOException {
        Files.createDirectories(versionedZip.getParent());
        String handler = "dev/blocks/localcloud/testfunctions/VersionHandler.class";
        Path temporary = versionedZip.resolveSibling("function.zip.tmp");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(temporary))) {
            zip.putNextEntry(new ZipEntry(handler));
            zip.write(Files.readAllBytes(TestFunctions.artifact().resolve(handler)));
            zip.putNextEntry(new ZipEntry("version.txt"));
            zip.write(version.getBytes(StandardCharsets.UTF_8));
        }
        Files.move(temporary, versionedZip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static QueueSpec queue(String name) {
        return new QueueSpec(name, false, false, 0, 30, 345600, Optional.empty(), 0);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static String queueUrl(String name) {
        return clients.sqs().getQueueUrl(request -> request.queueName(name)).queueUrl();
    }

    private static List<Message> receive(String queue) {
        String url = queueUrl(queue);
        List<Message> messages = clients.sqs().receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10)
                .waitTimeSeconds(5)).messages();
        messages.forEach(message -> clients.sqs().deleteMessage(request -> request.queueUrl(url)
                .receiptHandle(message.receiptHandle())));
        return messages;
    }

    private static long messagesIn(String queue) {
        String url = queueUrl(queue);
        return clients.sqs().getQueueAttributes(request -> request.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes().values().stream().mapToLong(Long::parseLong).sum();
    }

    private static KafkaProducer<String, String> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafka());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    private static void eventually(BooleanSupplier condition, java.util.function.Supplier<String> expected) {
        Await.until(PATIENCE, condition, expected);
    }
}
