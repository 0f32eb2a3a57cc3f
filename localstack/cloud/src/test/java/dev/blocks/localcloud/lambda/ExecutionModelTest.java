package dev.blocks.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.OwnedProcesses;
import dev.blocks.localcloud.lambda.FunctionInvoker.FunctionError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lambda's execution model as the local Lambda service runs it: freeze, on demand, reclaim, throttles, REPORT. */
class ExecutionModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFrozenFunctionGetsNoCpuBetweenInvocationsAndAnUnfrozenOneDoes() throws Exception {
        long frozenGap = backgroundTicksBetweenInvocations(ExecutionModel.aws().withPrewarm(true), dir.resolve("frozen"));
        long runningGap = backgroundTicksBetweenInvocations(ExecutionModel.aws().withPrewarm(true).withFreeze(false),
                dir.resolve("running"));

        // One second between invocations is 200 ticks for a thread that runs; a frozen one only ticks in the
        // moments between its response and the freeze, and between the thaw and the handler.
        assertThat(runningGap).isGreaterThan(100);
        assertThat(frozenGap).isLessThan(20);
    }

    private long backgroundTicksBetweenInvocations(ExecutionModel model, Path own) throws Exception {
        LambdaSettings settings = TestFunctions.settings(own, TestFunctions.endpoints(null, null),
                model.withInitTimeout(Duration.ofSeconds(60)));
        try (LambdaService lambda = LambdaService.start(
                List.of(TestFunctions.function("counter", "CounterHandler", 10, 0, Map.of())), settings)) {
            long first = invoke(lambda, "counter").path("ticks").asLong();
            awaitTrue(() -> lambda.status("counter").orElseThrow().frozen() == (model.freeze() ? 1 : 0),
                    "the idle instance is frozen exactly when the model freezes");
            long wallStart = System.nanoTime();
            // Nothing to wait for but time itself: the gap is what the background thread could use.
            Thread.sleep(1000);
            assertThat(System.nanoTime() - wallStart).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
            long second = invoke(lambda, "counter").path("ticks").asLong();
            return second - first;
        }
    }

    @Test
    void startsInstancesOnDemandAndReclaimsIdleOnesSoTheNextInvocationIsAColdStart() throws Exception {
        LambdaSettings settings = TestFunctions.settings(dir, TestFunctions.endpoints(null, null),
                ExecutionModel.aws().withIdleTimeout(Duration.ofSeconds(1)).withInitTimeout(Duration.ofSeconds(60)));
        try (LambdaService lambda = LambdaService.start(
                List.of(TestFunctions.function("echo", "EchoHandler", 10, 0, Map.of())), settings)) {
            assertThat(lambda.awaitInit(Duration.ofSeconds(60))).isEmpty();
            assertThat(lambda.reclaimIdle(Duration.ZERO)).isEqualTo(1);
            awaitTrue(() -> lambda.status("echo").orElseThrow().instances() == 0, "the proving instance is gone");

            long firstPid = invoke(lambda, "echo").path("pid").asLong();
            FunctionStatus afterFirst = lambda.status("echo").orElseThrow();
            assertThat(afterFirst.launched()).isEqualTo(2);

            // Idle for longer than the idle timeout: reclaimed by the service's own sweep.
            awaitTrue(() -> lambda.status("echo").orElseThrow().instances() == 0, "the idle instance is reclaimed");
            long secondPid = invoke(lambda, "echo").path("pid").asLong();
            assertThat(secondPid).isNotEqualTo(firstPid);
            assertThat(lambda.status("echo").orElseThrow().launched()).isEqualTo(3);

            String log = Files.readString(settings.logDir().resolve("echo.log"));
            // Every instance's first invocation reports its init, as a cold start does on AWS.
            assertThat(count(log, "Init Duration: ")).isEqualTo(2);
        }
    }

    @Test
    void throttlesBeyondReservedConcurrencyAndTheAccountLimit() throws Exception {
        LambdaSettings settings = TestFunctions.settings(dir, TestFunctions.endpoints(null, null),
                ExecutionModel.aws().withPrewarm(true).withAccountConcurrency(2).withInitTimeout(Duration.ofSeconds(60)));
        Path go = dir.resolve("go");
        String hold = "{\"waitFor\":\"" + go + "\"}";
        try (LambdaService lambda = LambdaService.start(List.of(
                TestFunctions.reserved("one", "SleepingHandler", 30, 1, Map.of()),
                TestFunctions.reserved("disabled", "EchoHandler", 10, 0, Map.of()),
                TestFunctions.reserved("free", "SleepingHandler", 30, -1, Map.of())), settings)) {
            assertThatThrownBy(() -> lambda.invoke("disabled", "{}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(FunctionError.class, e -> {
                        assertThat(e.throttled()).isTrue();
                        assertThat(e.errorType()).isEqualTo("TooManyRequestsException");
                        assertThat(e.throttleReason()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
                    });

            CompletableFuture<byte[]> held = CompletableFuture.supplyAsync(() -> invokeUnchecked(lambda, "one", hold));
            awaitTrue(() -> lambda.status("one").orElseThrow().busy() == 1, "the reserved instance is busy");
            assertThatThrownBy(() -> lambda.invoke("one", "{\"millis\":0}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(FunctionError.class,
                            e -> assertThat(e.throttleReason()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded"));

            CompletableFuture<byte[]> second = CompletableFuture.supplyAsync(() -> invokeUnchecked(lambda, "free", hold));
            awaitTrue(() -> lambda.status("free").orElseThrow().busy() == 1, "the account's second slot is in use");
            assertThatThrownBy(() -> lambda.invoke("free", "{\"millis\":0}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(FunctionError.class,
                            e -> assertThat(e.throttleReason()).isEqualTo("ConcurrentInvocationLimitExceeded"));

            Files.createFile(go);
            held.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
            // The slots are free again.
            assertThat(JSON.readTree(lambda.invoke("one", "{\"millis\":0}".getBytes(StandardCharsets.UTF_8)))
                    .path("slept").asLong()).isZero();
        }
    }

    @Test
    void givesTheFunctionLambdasEnvironmentAndNothingOfTheCallersShell() throws Exception {
        LambdaSettings settings = TestFunctions.settings(dir, TestFunctions.endpoints(null, null));
        try (LambdaService lambda = LambdaService.start(
                List.of(TestFunctions.function("echo", "EchoHandler", 10, 0, Map.of("GREETING", "hello"))), settings)) {
            Set<String> names = new HashSet<>();
            invoke(lambda, "echo").path("env").fieldNames().forEachRemaining(names::add);

            Set<String> lambdaGives = Set.of("_HANDLER", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV",
                    "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
                    "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
                    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
                    "LAMBDA_RUNTIME_DIR", "PATH", "TZ", "LANG");
            Set<String> localCloudAdds = Set.of("AWS_ENDPOINT_URL_DYNAMODB", "QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE",
                    "AWS_ENDPOINT_URL_SQS", "QUARKUS_SQS_ENDPOINT_OVERRIDE", "AWS_ENDPOINT_URL_S3",
                    "QUARKUS_S3_ENDPOINT_OVERRIDE", "QUARKUS_S3_PATH_STYLE_ACCESS", "BLOCKS_S3_PATH_STYLE",
                    "LOCAL_CLOUD_OWNER");
            Set<String> expected = new HashSet<>(lambdaGives);
            expected.addAll(localCloudAdds);
            expected.add("GREETING");
            // The test JVM's own environment (HOME, USER, JAVA_HOME, MAVEN_*, ...) must not reach the function.
            assertThat(names).isEqualTo(expected);
            assertThat(System.getenv().keySet()).anyMatch(name -> !expected.contains(name));
        }
    }

    @Test
    void reportsDurationsAndMemoryAsLambdasReportLineDoesAndTailsTheLog() throws Exception {
        LambdaSettings settings = TestFunctions.settings(dir, TestFunctions.endpoints(null, null));
        try (LambdaService lambda = LambdaService.start(
                List.of(TestFunctions.function("counter", "CounterHandler", 10, 0, Map.of())), settings)) {
            LambdaService.Invoked invoked = lambda.invokeWithLog("counter", "{}".getBytes(StandardCharsets.UTF_8), null);
            long ticks = JSON.readTree(invoked.payload()).path("ticks").asLong();

            String tail = new String(Base64.getDecoder().decode(invoked.logTail()), StandardCharsets.UTF_8);
            assertThat(tail).contains("counter at ").contains("END RequestId: ").contains("REPORT RequestId: ");
            Matcher report = Pattern.compile("REPORT RequestId: \\S+\\tDuration: ([0-9.]+) ms\\tBilled Duration: (\\d+) ms"
                    + "\\tMemory Size: 256 MB\\tMax Memory Used: (\\d+) MB\\tInit Duration: ([0-9.]+) ms").matcher(tail);
            assertThat(report.find()).as(tail).isTrue();
            assertThat(Long.parseLong(report.group(2))).isGreaterThanOrEqualTo((long) Double.parseDouble(report.group(1)));
            // A JVM holds tens of MB at least; the value is read from the process, not made up.
            assertThat(Long.parseLong(report.group(3))).isBetween(10L, 4096L);
            assertThat(ticks).isPositive();

            String secondTail = new String(Base64.getDecoder().decode(
                    lambda.invokeWithLog("counter", "{}".getBytes(StandardCharsets.UTF_8), null).logTail()),
                    StandardCharsets.UTF_8);
            assertThat(secondTail).contains("REPORT RequestId: ").doesNotContain("Init Duration");
        }
        assertThat(OwnedProcesses.awaitNone(settings.owner(), Duration.ofSeconds(10))).isEmpty();
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    private static JsonNode invoke(LambdaService lambda, String function) throws Exception {
        return JSON.readTree(lambda.invoke(function, "{}".getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] invokeUnchecked(LambdaService lambda, String function, String payload) {
        try {
            return lambda.invoke(function, payload.getBytes(StandardCharsets.UTF_8));
        } catch (FunctionError e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        LambdaServiceTest.awaitTrue(condition, what);
    }
}
