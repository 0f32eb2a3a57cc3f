package dev.blocks.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.lambda.TestFunctions;
import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.RouteSpec;
import dev.blocks.localcloud.spec.ScheduleSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCloudTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    @Test
    void startsOnlyTheServicesAskedFor() throws Exception {
        Path endpointsFile = dir.resolve("endpoints.json");
        LocalCloud cloud = LocalCloud.start(LocalCloudOptions.defaults()
                .withServices(Set.of("redis"))
                .withEndpointsFile(endpointsFile)
                .withLogDir(dir.resolve("logs")));
        try {
            Endpoints endpoints = cloud.endpoints();
            assertThat(endpoints.redis()).startsWith("redis://127.0.0.1:");
            assertThat(endpoints.dynamodb()).isNull();
            assertThat(endpoints.sqs()).isNull();
            assertThat(endpoints.s3()).isNull();
            assertThat(endpoints.kafka()).isNull();
            assertThat(JSON.readValue(endpointsFile.toFile(), Endpoints.class)).isEqualTo(endpoints);
            assertThat(RedisPing.answers(endpoints.redis())).isTrue();

            assertThat(post(endpoints.admin() + "/services/redis/stop").path("running").asBoolean()).isFalse();
            assertThat(RedisPing.answers(endpoints.redis())).isFalse();
            assertThat(post(endpoints.admin() + "/services/redis/start").path("running").asBoolean()).isTrue();
            assertThat(RedisPing.answers(endpoints.redis())).isTrue();
            // Frozen, it accepts connections (the kernel does) but answers nothing until thawed.
            post(endpoints.admin() + "/services/redis/freeze");
            assertThat(RedisPing.answers(endpoints.redis())).isFalse();
            post(endpoints.admin() + "/services/redis/thaw");
            assertThat(RedisPing.answers(endpoints.redis())).isTrue();
            assertThat(send(HttpRequest.newBuilder(URI.create(endpoints.admin() + "/services/dynamodb/stop"))
                    .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
        } finally {
            cloud.close();
        }
        assertThat(OwnedProcesses.awaitNone(cloud.owner(), Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void runsInThePlansRegion() throws Exception {
        CloudSpec spec = new CloudSpec(List.of(),
                List.of(new dev.blocks.localcloud.spec.QueueSpec("jobs", false, false, 0, 30, 345600,
                        java.util.Optional.empty(), 0)),
                List.of(), List.of(TestFunctions.function("echo", "EchoHandler", 10, 0, Map.of())),
                List.of(), List.of(), List.of(), List.of(), List.of(), "eu-west-1");
        LocalCloud cloud = LocalCloud.start(LocalCloudOptions.defaults().withServices(Set.of("sqs"))
                .withLogDir(dir.resolve("logs")), spec);
        try (var sqs = sqsOf(cloud)) {
            assertThat(cloud.endpoints().region()).isEqualTo("eu-west-1");
            String url = sqs.getQueueUrl(r -> r.queueName("jobs")).queueUrl();
            assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                    .attributesAsStrings().get("QueueArn")).isEqualTo("arn:aws:sqs:eu-west-1:000000000000:jobs");
            JsonNode echo = JSON.readTree(cloud.lambda().invoke("echo", "{}".getBytes(StandardCharsets.UTF_8)));
            assertThat(echo.path("functionArn").asText()).isEqualTo("arn:aws:lambda:eu-west-1:000000000000:function:echo");
            assertThat(echo.path("env").path("AWS_REGION").asText()).isEqualTo("eu-west-1");
        } finally {
            cloud.close();
        }
    }

    @Test
    void theQueuesOfThePlanSurviveARestartOfSqs() throws Exception {
        CloudSpec spec = new CloudSpec(List.of(),
                List.of(new dev.blocks.localcloud.spec.QueueSpec("jobs-dlq", false, false, 0, 30, 345600,
                                java.util.Optional.empty(), 0),
                        new dev.blocks.localcloud.spec.QueueSpec("jobs", false, false, 0, 30, 345600,
                                java.util.Optional.of("jobs-dlq"), 3)),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        LocalCloud cloud = LocalCloud.start(LocalCloudOptions.defaults().withServices(Set.of("sqs"))
                .withLogDir(dir.resolve("logs")), spec);
        try (var sqs = sqsOf(cloud)) {
            post(cloud.endpoints().admin() + "/services/sqs/stop");
            post(cloud.endpoints().admin() + "/services/sqs/start");

            String url = sqs.getQueueUrl(r -> r.queueName("jobs")).queueUrl();
            String redrive = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings("RedrivePolicy"))
                    .attributesAsStrings().get("RedrivePolicy");
            assertThat(redrive).contains("jobs-dlq").contains("3");
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("after the restart"));

            // An outage of the endpoint loses no message: one waiting, one in flight (received, not deleted).
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("in flight"));
            var received = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(2))
                    .messages();
            assertThat(received).extracting(m -> m.body()).containsExactlyInAnyOrder("after the restart", "in flight");
            sqs.changeMessageVisibility(r -> r.queueUrl(url)
                    .receiptHandle(received.get(0).receiptHandle()).visibilityTimeout(0));
            post(cloud.endpoints().admin() + "/services/sqs/stop");
            post(cloud.endpoints().admin() + "/services/sqs/start");
            java.util.Set<String> after = new java.util.HashSet<>();
            Await.until(Duration.ofSeconds(15), () -> {
                sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages().forEach(m -> after.add(m.body()));
                return after.size() == 2;
            }, () -> "both messages back after the restart, got " + after);
            assertThat(after).containsExactlyInAnyOrder("after the restart", "in flight");
        } finally {
            cloud.close();
        }
    }

    @Test
    void refusesToStartWhenAFunctionCannotInitAndShowsTheEndOfItsLog() {
        CloudSpec spec = new CloudSpec(List.of(), List.of(), List.of(),
                List.of(TestFunctions.function("web", "GatewayEchoHandler", 10, 0, Map.of()),
                        TestFunctions.function("broken", "BrokenInitHandler", 10, 0, Map.of())),
                List.of(), List.of(), List.of(), List.of(), List.of());

        assertThatThrownBy(() -> LocalCloud.start(LocalCloudOptions.defaults().withServices(Set.of())
                .withLogDir(dir.resolve("logs")), spec))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("functions failed their init")
                .hasMessageContaining("- broken: ")
                .hasMessageNotContaining("- web: ")
                // the function's own output: the exception its static initialiser threw
                .hasMessageContaining("no configuration");
    }

    @Test
    void runsTheFunctionsOfASpecBehindTheGatewayTheInvokeApiAndTheAdminApi() throws Exception {
        Path touched = dir.resolve("touched-by-schedule");
        CloudSpec spec = new CloudSpec(List.of(), List.of(), List.of(),
                List.of(TestFunctions.function("web", "GatewayEchoHandler", 10, 0, Map.of()),
                        TestFunctions.function("ticker", "TouchHandler", 10, 0, Map.of("TOUCH_FILE", touched.toString()))),
                List.of(new RouteSpec("GET /hello/{name}", "web")),
                List.of(), List.of(),
                List.of(new ScheduleSpec("every-hour", "rate(1 hour)", "ticker", true)),
                List.of());
        LocalCloud cloud = LocalCloud.start(LocalCloudOptions.defaults().withServices(Set.of())
                .withLogDir(dir.resolve("logs")), spec);
        try {
            Endpoints endpoints = cloud.endpoints();
            assertThat(cloud.routes()).containsExactly("GET /hello/{name} -> web");

            HttpResponse<byte[]> hello = send(HttpRequest.newBuilder(URI.create(endpoints.gateway() + "/hello/zoe")).GET());
            assertThat(hello.statusCode()).isEqualTo(201);
            assertThat(JSON.readTree(hello.body()).path("pathParameters").path("name").asText()).isEqualTo("zoe");
            assertThat(send(HttpRequest.newBuilder(URI.create(endpoints.gateway() + "/healthz")).GET()).statusCode())
                    .isEqualTo(200);

            HttpResponse<byte[]> invoked = send(HttpRequest.newBuilder(
                    URI.create(endpoints.lambda() + "/2015-03-31/functions/ticker/invocations"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(invoked.statusCode()).isEqualTo(200);

            JsonNode functions = JSON.readTree(send(HttpRequest.newBuilder(
                    URI.create(endpoints.admin() + "/functions")).GET()).body());
            assertThat(functions).hasSize(2);
            functions.forEach(function -> assertThat(function.path("initialised").asBoolean()).isTrue());

            Files.deleteIfExists(touched);
            assertThat(post(endpoints.admin() + "/schedules/every-hour/fire").path("fired").asBoolean()).isTrue();
            assertThat(touched).exists();

            assertThat(post(endpoints.admin() + "/functions/web/kill").path("killed").asInt()).isEqualTo(1);
            // The next request reaches a fresh instance through a cold start.
            assertThat(send(HttpRequest.newBuilder(URI.create(endpoints.gateway() + "/hello/again")).GET()).statusCode())
                    .isEqualTo(201);
            assertThat(cloud.logDir().resolve("web.log")).exists();
        } finally {
            cloud.close();
        }
        assertThat(OwnedProcesses.awaitNone(cloud.owner(), Duration.ofSeconds(10))).isEmpty();
    }

    private static software.amazon.awssdk.services.sqs.SqsClient sqsOf(LocalCloud cloud) {
        return software.amazon.awssdk.services.sqs.SqsClient.builder()
                .endpointOverride(URI.create(cloud.endpoints().sqs()))
                .region(software.amazon.awssdk.regions.Region.of(cloud.endpoints().region()))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                cloud.endpoints().accessKeyId(), cloud.endpoints().secretAccessKey())))
                .build();
    }

    private static JsonNode post(String url) throws Exception {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).as("POST %s", url).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
