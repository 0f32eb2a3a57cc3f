package dev.blocks.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.OwnedProcesses;
import dev.blocks.localcloud.http.LoopbackServer;
import dev.blocks.localcloud.spec.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

class InvokeApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static LoopbackServer server;
    private static LambdaService lambda;
    private static LambdaClient client;

    @BeforeAll
    static void start() throws Exception {
        server = new LoopbackServer("lambda", 0);
        lambda = LambdaService.start(List.of(
                        TestFunctions.function("echo", "EchoHandler", 10, 0, Map.of()),
                        TestFunctions.function("fail", "FailingHandler", 10, 0, Map.of()),
                        TestFunctions.function("touch", "TouchHandler", 10, 0, Map.of())),
                TestFunctions.settings(dir, TestFunctions.endpoints(null, server.url())));
        InvokeApi.serve(server, lambda);
        server.start();
        client = TestFunctions.lambdaClient(server.url());
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        lambda.close();
        assertThat(OwnedProcesses.awaitNone(lambda.settings().owner(), Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void invokesAFunctionAndReturnsItsPayload() throws Exception {
        InvokeResponse response = client.invoke(b -> b.functionName("echo")
                .payload(SdkBytes.fromUtf8String("{\"n\":42}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isNull();
        assertThat(response.executedVersion()).isEqualTo("$LATEST");
        JsonNode answer = JSON.readTree(response.payload().asByteArray());
        assertThat(answer.path("received").path("n").asInt()).isEqualTo(42);
        assertThat(answer.path("functionName").asText()).isEqualTo("echo");
    }

    @Test
    void acceptsTheFunctionArnAsItsName() throws Exception {
        InvokeResponse response = client.invoke(b -> b
                .functionName("arn:aws:lambda:us-east-1:000000000000:function:echo")
                .payload(SdkBytes.fromUtf8String("{}")));

        assertThat(JSON.readTree(response.payload().asByteArray()).path("functionName").asText()).isEqualTo("echo");
    }

    @Test
    void marksAFunctionErrorAsUnhandled() throws Exception {
        InvokeResponse response = client.invoke(b -> b.functionName("fail").payload(SdkBytes.fromUtf8String("{}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        JsonNode error = JSON.readTree(response.payload().asByteArray());
        assertThat(error.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.path("errorMessage").asText()).isEqualTo("asked to fail");
    }

    @Test
    void runsAnEventInvocationInTheBackground() throws Exception {
        Path touched = dir.resolve("touched-by-event");
        InvokeResponse response = client.invoke(b -> b.functionName("touch")
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"touch\":\"" + touched + "\"}")));

        assertThat(response.statusCode()).isEqualTo(202);
        LambdaServiceTest.awaitTrue(() -> Files.exists(touched), "the event invocation ran");
    }

    @Test
    void answersADryRunWithoutRunningTheFunction() {
        InvokeResponse response = client.invoke(b -> b.functionName("echo").invocationType(InvocationType.DRY_RUN));

        assertThat(response.statusCode()).isEqualTo(204);
    }

    @Test
    void listsEveryFunctionWithItsConfiguration() {
        List<FunctionConfiguration> functions = client.listFunctions().functions();

        assertThat(functions).extracting(FunctionConfiguration::functionName).containsExactlyInAnyOrder("echo", "fail", "touch");
        FunctionConfiguration echo = functions.stream().filter(f -> f.functionName().equals("echo")).findFirst().orElseThrow();
        FunctionSpec deployed = lambda.functions().stream().filter(f -> f.name().equals("echo")).findFirst().orElseThrow();
        assertThat(echo.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:echo");
        assertThat(echo.handler()).isEqualTo(deployed.handler());
        assertThat(echo.timeout()).isEqualTo(deployed.timeoutSeconds());
        assertThat(echo.memorySize()).isEqualTo(deployed.memoryMb());
        assertThat(echo.codeSize()).isPositive();
    }

    @Test
    void getsOneFunctionByNameOrArnAndReportsAMissingOne() {
        GetFunctionResponse byArn = client.getFunction(b -> b.functionName("arn:aws:lambda:us-east-1:000000000000:function:touch"));

        assertThat(byArn.configuration().functionName()).isEqualTo("touch");
        assertThat(byArn.code().location()).isEqualTo(TestFunctions.artifact().toUri().toString());
        assertThatThrownBy(() -> client.getFunction(b -> b.functionName("nope")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void reportsAnUnknownFunctionAsResourceNotFound() {
        assertThatThrownBy(() -> client.invoke(b -> b.functionName("nope").payload(SdkBytes.fromUtf8String("{}"))))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope")
                .satisfies(e -> assertThat(((ResourceNotFoundException) e).statusCode()).isEqualTo(404));
    }
}
