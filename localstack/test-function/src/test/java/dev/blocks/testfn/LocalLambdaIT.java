package dev.blocks.testfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The foundation's end-to-end checks: the test function's real artifact (function.zip) runs in the local Lambda
 * service exactly as Lambda runs it, wired by the plan of localstack/test-function/terraform, and every trigger
 * kind reaches it with the real event shape. Each role records what it received in the test-records table.
 */
class LocalLambdaIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = LocalCloudExtension.terraform("localstack/test-function/terraform")
            .var("test_schedule", "rate(2 seconds)");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static DynamoDbClient dynamo;
    private static SqsClient sqs;

    @BeforeAll
    static void clients() {
        Endpoints e = CLOUD.endpoints();
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(e.dynamodb())).region(Region.of(e.region()))
                .credentialsProvider(credentials(e)).httpClient(UrlConnectionHttpClient.create()).build();
        sqs = SqsClient.builder().endpointOverride(URI.create(e.sqs())).region(Region.of(e.region()))
                .credentialsProvider(credentials(e)).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void close() {
        dynamo.close();
        sqs.close();
    }

    private static StaticCredentialsProvider credentials(Endpoints e) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(e.accessKeyId(), e.secretAccessKey()));
    }

    @Test
    void httpRequestThroughTheGatewayCarriesPathQueryCookiesAndHeaders() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(CLOUD.gatewayUri("/hello/w%C3%B6rld?x=1&y=two"))
                .header("Cookie", "a=1; b=2").header("User-Agent", "foundation-test").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-test")).hasValue("hello");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("hello").asText()).isEqualTo("wörld");
        assertThat(body.path("query").path("x").asText()).isEqualTo("1");
        assertThat(body.path("query").path("y").asText()).isEqualTo("two");
        assertThat(body.path("cookies").toString()).isEqualTo("[\"a=1\",\"b=2\"]");
        assertThat(body.path("userAgent").asText()).isEqualTo("foundation-test");
    }

    @Test
    void jsonBodiesRoundTripAndBadOnesGetAProblem() throws Exception {
        HttpResponse<String> created = post("/echo", "application/json", "{\"n\":42,\"s\":\"ü\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("echo").path("s").asText()).isEqualTo("ü");

        HttpResponse<String> malformed = post("/echo", "application/json", "{\"n\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(malformed.body()).path("status").asInt()).isEqualTo(400);
    }

    @Test
    void binaryBodiesArriveBase64EncodedOnGreedyRoutes() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 10, 13};
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(CLOUD.gatewayUri("/files/a/b/c.bin"))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("method").asText()).isEqualTo("PUT");
        assertThat(body.path("proxy").asText()).isEqualTo("a/b/c.bin");
        assertThat(java.util.Base64.getDecoder().decode(body.path("bodyBase64").asText())).isEqualTo(bytes);
    }

    @Test
    void unknownRoutesAre404() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(CLOUD.gatewayUri("/nowhere")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void onlyTheFailedItemOfAnSqsBatchIsRedelivered() {
        String run = Long.toString(System.nanoTime());
        String queue = sqs.getQueueUrl(b -> b.queueName("test-work")).queueUrl();
        sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(
                e -> e.id("1").messageBody("ok-a-" + run),
                e -> e.id("2").messageBody("fail-once-" + run),
                e -> e.id("3").messageBody("ok-b-" + run)));

        await("the failed item's second delivery", () -> record("sqs", "fail-once-" + run + "#2"));
        // By the time the failed item came back, the others would have come back with it had they not been deleted.
        assertThat(record("sqs", "fail-once-" + run + "#1")).isTrue();
        assertThat(record("sqs", "ok-a-" + run + "#1")).isTrue();
        assertThat(record("sqs", "ok-b-" + run + "#1")).isTrue();
        assertThat(record("sqs", "ok-a-" + run + "#2")).isFalse();
        assertThat(record("sqs", "ok-b-" + run + "#2")).isFalse();
        await("the work queue drained", () -> queueDepth(queue) == 0);
    }

    @Test
    void aMessageThatAlwaysFailsEndsInTheDeadLetterQueue() {
        String body = "fail-always-" + System.nanoTime();
        String queue = sqs.getQueueUrl(b -> b.queueName("test-work")).queueUrl();
        String dlq = sqs.getQueueUrl(b -> b.queueName("test-work-dlq")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));

        List<String> dead = new java.util.ArrayList<>();
        await("the message in the DLQ", () -> {
            sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
                    .forEach(m -> dead.add(m.body()));
            return dead.contains(body);
        });
        assertThat(record("sqs", body + "#3")).isTrue();
        assertThat(record("sqs", body + "#4")).isFalse();
    }

    @Test
    void anS3UploadProducesAnEventWhoseDecodedKeyMatches() {
        Endpoints e = CLOUD.endpoints();
        String key = "dir/a b+c ü-" + System.nanoTime() + ".txt";
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(e.s3())).region(Region.of(e.region()))
                .forcePathStyle(true).credentialsProvider(credentials(e)).httpClient(UrlConnectionHttpClient.create()).build()) {
            s3.putObject(b -> b.bucket("test-uploads").key(key).contentType("text/plain"),
                    RequestBody.fromString("hello", StandardCharsets.UTF_8));
        }
        await("the S3 event for " + key, () -> record("s3", key));
        Map<String, AttributeValue> item = item("s3", key);
        assertThat(item.get("eventName").s()).isEqualTo("ObjectCreated:Put");
        assertThat(item.get("bucket").s()).isEqualTo("test-uploads");
        assertThat(item.get("size").s()).isEqualTo("5");
        assertThat(item.get("rawKey").s()).doesNotContain(" ").contains("+").contains("%2B");
    }

    @Test
    void theScheduleFiresOnItsCadenceAndOnDemand() {
        Instant start = Instant.now();
        await("two ticks of rate(2 seconds)", () -> ticksSince(start) >= 2);
        long before = ticksSince(start);
        CLOUD.fireSchedule("test-schedule");
        await("the tick fired on demand", () -> ticksSince(start) > before);
    }

    @Test
    void theInvokeApiServesTheSdkLambdaClient() throws Exception {
        Endpoints e = CLOUD.endpoints();
        try (LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create(e.lambda())).region(Region.of(e.region()))
                .credentialsProvider(credentials(e)).httpClient(UrlConnectionHttpClient.create()).build()) {
            InvokeResponse ok = lambda.invoke(b -> b.functionName("test-invoke").payload(SdkBytes.fromUtf8String("{\"hi\":1}")));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.functionError()).isNull();
            JsonNode payload = JSON.readTree(ok.payload().asUtf8String());
            assertThat(payload.path("function").asText()).isEqualTo("test-invoke");
            assertThat(payload.path("received").path("hi").asInt()).isEqualTo(1);

            InvokeResponse failed = lambda.invoke(b -> b.functionName("test-invoke").payload(SdkBytes.fromUtf8String("{\"fail\":true}")));
            assertThat(failed.functionError()).isEqualTo("Unhandled");
            assertThat(failed.payload().asUtf8String()).contains("asked to fail");

            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("no-such-function").payload(SdkBytes.fromUtf8String("{}"))))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void kafkaRecordsReachTheirFunctionThroughTheEventSourceMapping() throws Exception {
        String value = "event-" + System.nanoTime();
        Properties props = new Properties();
        props.put("bootstrap.servers", CLOUD.endpoints().kafka());
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>("test-events", "k", value)).get();
        }
        await("the Kafka record recorded", () -> dynamo.query(b -> b.tableName("test-records")
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("kafka"))))
                .items().stream().anyMatch(i -> value.equals(i.get("value").s())));
    }

    private long ticksSince(Instant start) {
        return dynamo.query(b -> b.tableName("test-records").keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("schedule"))))
                .items().stream().filter(i -> !Instant.parse(i.get("time").s()).isBefore(start.minusSeconds(1))).count();
    }

    private static HttpResponse<String> post(String path, String type, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(CLOUD.gatewayUri(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int queueDepth(String queue) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToInt(Integer::parseInt).sum();
    }

    private static boolean record(String pk, String sk) {
        return !item(pk, sk).isEmpty();
    }

    private static Map<String, AttributeValue> item(String pk, String sk) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName("test-records").consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
        return item == null ? Map.of() : item;
    }

    /** Polls a condition until it holds, failing after a generous deadline (never a blind sleep). */
    static void await(String what, Supplier<Boolean> condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
