package dev.blocks.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.Await;
import dev.blocks.localcloud.OwnedProcesses;
import dev.blocks.localcloud.lambda.FunctionInvoker.FunctionError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LambdaServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Callers that block in invocations at the same time, whatever the common pool's size on this machine. */
    private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

    @TempDir
    static Path dir;
    private static LambdaService lambda;

    @BeforeAll
    static void start() throws Exception {
        lambda = LambdaService.start(List.of(
                TestFunctions.function("echo", "EchoHandler", 10, 0,
                        Map.of("GREETING", "hello", "REDIS_URL", "local-cloud://redis/0",
                                "BROKERS", "local-cloud://kafka", "SELF", "local-cloud://gateway/v1")),
                TestFunctions.function("fail", "FailingHandler", 10, 0, Map.of()),
                TestFunctions.function("slow", "SleepingHandler", 2, 1, Map.of()),
                TestFunctions.function("sleepy", "SleepingHandler", 30, 2, Map.of()),
                TestFunctions.function("crashy", "SleepingHandler", 60, 1, Map.of()),
                TestFunctions.function("missing", "DoesNotExist", 10, 1, Map.of()),
                TestFunctions.function("broken", "BrokenInitHandler", 10, 1, Map.of()),
                TestFunctions.function("exiting", "ExitingHandler", 10, 1, Map.of())),
                TestFunctions.settings(dir, TestFunctions.endpoints("http://127.0.0.1:18080", "http://127.0.0.1:18081")));
    }

    @AfterAll
    static void stop() throws Exception {
        String owner = lambda.settings().owner();
        lambda.close();
        CALLERS.shutdownNow();
        assertThat(OwnedProcesses.awaitNone(owner, Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void roundTripsAnInvocationThroughTheRuntimeApi() throws Exception {
        JsonNode answer = invoke("echo", "{\"hello\":\"world\"}");

        assertThat(answer.path("received").path("hello").asText()).isEqualTo("world");
        assertThat(answer.path("functionName").asText()).isEqualTo("echo");
        assertThat(answer.path("functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:echo");
        assertThat(answer.path("requestId").asText()).hasSize(36);
        assertThat(answer.path("remainingMillis").asLong()).isBetween(1L, 10_000L);
        JsonNode env = answer.path("env");
        assertThat(env.path("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo("echo");
        assertThat(env.path("AWS_LAMBDA_FUNCTION_VERSION").asText()).isEqualTo("$LATEST");
        assertThat(env.path("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText()).isEqualTo("256");
        assertThat(env.path("AWS_LAMBDA_RUNTIME_API").asText()).startsWith("127.0.0.1:");
        assertThat(env.path("_HANDLER").asText()).isEqualTo("dev.blocks.localcloud.testfunctions.EchoHandler");
        assertThat(env.path("LAMBDA_TASK_ROOT").asText()).isEqualTo(TestFunctions.artifact().toString());
        assertThat(env.path("AWS_REGION").asText()).isEqualTo("us-east-1");
        assertThat(env.path("AWS_ACCESS_KEY_ID").asText()).isEqualTo("test");
        assertThat(env.path("TZ").asText()).isEqualTo(":UTC");
        assertThat(env.path("AWS_ENDPOINT_URL_DYNAMODB").asText()).isEqualTo("http://127.0.0.1:4566");
        assertThat(env.path("QUARKUS_SQS_ENDPOINT_OVERRIDE").asText()).isEqualTo("http://127.0.0.1:4567");
        assertThat(env.path("AWS_ENDPOINT_URL_LAMBDA").asText()).isEqualTo("http://127.0.0.1:18081");
        assertThat(env.path("QUARKUS_S3_PATH_STYLE_ACCESS").asText()).isEqualTo("true");
        assertThat(env.path("GREETING").asText()).isEqualTo("hello");
        assertThat(env.path("REDIS_URL").asText()).isEqualTo("redis://127.0.0.1:6399/0");
        assertThat(env.path("BROKERS").asText()).isEqualTo("127.0.0.1:9092");
        assertThat(env.path("SELF").asText()).isEqualTo("http://127.0.0.1:18080/v1");
    }

    @Test
    void passesTheClientContextToTheFunction() throws Exception {
        byte[] raw = lambda.invoke("echo", "{}".getBytes(StandardCharsets.UTF_8),
                "{\"custom\":{\"tenant\":\"acme\"},\"env\":{},\"client\":{}}");

        assertThat(JSON.readTree(raw).path("clientContext").asText()).contains("tenant").contains("acme");
    }

    @Test
    void reportsAThrownExceptionAsAFunctionError() throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) {
            FunctionError error = invokeFailing("fail", "{}");

            assertThat(error.errorType()).isEqualTo("java.lang.IllegalStateException");
            JsonNode document = JSON.readTree(error.payload());
            assertThat(document.path("errorMessage").asText()).isEqualTo("asked to fail");
            assertThat(document.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        }
        // A handled error leaves the instance alive: no cold start per error.
        assertThat(lambda.status("fail").orElseThrow().instances()).isEqualTo(1);
    }

    @Test
    void killsAndReplacesAnInstanceThatTimesOut() throws Exception {
        long before = invoke("slow", "{\"millis\":0}").path("pid").asLong();

        FunctionError error = invokeFailing("slow", "{\"millis\":60000}");

        assertThat(error.errorType()).isEqualTo("Sandbox.Timedout");
        assertThat(error.getMessage()).contains("Task timed out after 2.00 seconds");
        awaitTrue(() -> !OwnedProcesses.running(before), "the timed-out JVM is gone");
        long after = invoke("slow", "{\"millis\":0}").path("pid").asLong();
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void scalesOutWhenEveryInstanceIsBusy() throws Exception {
        Path go = dir.resolve("scale-out-go");
        String request = "{\"waitFor\":\"" + go + "\"}";
        CompletableFuture<JsonNode> first =
                CompletableFuture.supplyAsync(() -> invokeUnchecked("sleepy", request), CALLERS);
        CompletableFuture<JsonNode> second =
                CompletableFuture.supplyAsync(() -> invokeUnchecked("sleepy", request), CALLERS);

        awaitTrue(() -> lambda.status("sleepy").orElseThrow().busy() == 2, "two instances run at once");
        Files.createFile(go);

        assertThat(first.get(30, TimeUnit.SECONDS).path("pid").asLong())
                .isNotEqualTo(second.get(30, TimeUnit.SECONDS).path("pid").asLong());
        assertThat(lambda.status("sleepy").orElseThrow().instances()).isLessThanOrEqualTo(2);
    }

    @Test
    void failsTheInvocationsOfAKilledFunctionAsACrashedRuntime() throws Exception {
        Path never = dir.resolve("never-created");
        CompletableFuture<JsonNode> inFlight = CompletableFuture.supplyAsync(
                () -> invokeUnchecked("crashy", "{\"waitFor\":\"" + never + "\"}"), CALLERS);
        awaitTrue(() -> lambda.status("crashy").orElseThrow().busy() == 1, "the invocation runs");

        assertThat(lambda.kill("crashy")).isEqualTo(1);

        assertThatThrownBy(() -> inFlight.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(FunctionError.class)
                .satisfies(e -> assertThat(((FunctionError) e).errorType()).isEqualTo("Runtime.ExitError"))
                .hasMessageContaining("signal: killed");
        // The next invocation gets a fresh instance, through a cold start.
        assertThat(invoke("crashy", "{\"millis\":0}").path("slept").asLong()).isZero();
    }

    @Test
    void reportsAMissingHandlerClassAsTheRuntimeDoes() throws Exception {
        FunctionError error = invokeFailing("missing", "{}");

        // The RIC reports a missing class per invocation rather than as an init error: so does Lambda.
        assertThat(error.errorType()).isEqualTo("java.lang.ClassNotFoundException");
        assertThat(error.getMessage()).isEqualTo("Class not found: dev.blocks.localcloud.testfunctions.DoesNotExist");
    }

    @Test
    void reportsAFailedInitAsTheErrorOfTheInvocationThatWaitedForIt() throws Exception {
        FunctionError error = invokeFailing("broken", "{}");

        assertThat(error.errorType()).isEqualTo("java.lang.ExceptionInInitializerError");
        assertThat(error.getMessage()).contains("Error loading class dev.blocks.localcloud.testfunctions.BrokenInitHandler");
        FunctionStatus status = lambda.status("broken").orElseThrow();
        assertThat(status.initialised()).isFalse();
        assertThat(status.lastInitError()).contains("ExceptionInInitializerError");
    }

    @Test
    void reportsAnExitDuringInitAsTheErrorOfTheInvocationThatWaitedForIt() throws Exception {
        FunctionError error = invokeFailing("exiting", "{}");

        assertThat(error.errorType()).isEqualTo("Runtime.ExitError");
        assertThat(error.getMessage()).contains("Runtime exited with error: exit status 3");
        FunctionStatus status = lambda.status("exiting").orElseThrow();
        assertThat(status.initialised()).isFalse();
        assertThat(status.lastInitError()).contains("exit status 3");
    }

    @Test
    void refusesAnUnknownFunction() {
        assertThatThrownBy(() -> lambda.invoke("nope", new byte[0])).isInstanceOf(LambdaService.UnknownFunction.class);
    }

    @Test
    void leavesNoProcessBehindWhenClosed(@TempDir Path own) throws Exception {
        LambdaSettings settings = TestFunctions.settings(own, TestFunctions.endpoints(null, null));
        LambdaService service = LambdaService.start(
                List.of(TestFunctions.function("echo", "EchoHandler", 10, 0, Map.of())), settings);
        assertThat(JSON.readTree(service.invoke("echo", "{}".getBytes(StandardCharsets.UTF_8))).has("pid")).isTrue();
        assertThat(OwnedProcesses.of(settings.owner())).isNotEmpty();

        service.close();

        assertThat(OwnedProcesses.awaitNone(settings.owner(), Duration.ofSeconds(10))).isEmpty();
        assertThat(Files.readString(settings.logDir().resolve("echo.log"))).contains("START RequestId:");
    }

    private static JsonNode invoke(String function, String payload) throws Exception {
        return JSON.readTree(lambda.invoke(function, payload.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode invokeUnchecked(String function, String payload) {
        try {
            return invoke(function, payload);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private static FunctionError invokeFailing(String function, String payload) {
        try {
            lambda.invoke(function, payload.getBytes(StandardCharsets.UTF_8));
        } catch (FunctionError e) {
            return e;
        }
        throw new AssertionError(function + " answered instead of failing");
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        Await.until(Duration.ofSeconds(60), condition, () -> what);
    }
}
