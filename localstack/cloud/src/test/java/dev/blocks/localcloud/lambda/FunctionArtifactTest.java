package dev.blocks.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.OwnedProcesses;
import dev.blocks.localcloud.spec.FunctionSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Functions deployed as zips, as Terraform deploys them: a custom runtime's bootstrap and a JVM handler. */
class FunctionArtifactTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOOTSTRAP = "#!/bin/sh\n"
            + "exec \"$JAVA\" -cp \"$LAMBDA_TASK_ROOT\" dev.blocks.localcloud.testfunctions.CustomRuntime\n";

    @TempDir
    Path dir;

    @Test
    void runsTheBootstrapOfAZipAndTheJvmHandlerOfAnother() throws Exception {
        Path custom = zip(dir.resolve("custom.zip"), BOOTSTRAP);
        Path jvm = zip(dir.resolve("jvm.zip"), null);
        Map<String, String> env = Map.of("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        LambdaSettings settings = TestFunctions.settings(dir, TestFunctions.endpoints(null, null));
        LambdaService lambda = LambdaService.start(List.of(
                new FunctionSpec("custom-a", "provided.al2023", "unused", custom, env, 128, 10, 1),
                new FunctionSpec("custom-b", "provided.al2023", "unused", custom, env, 128, 10, 1),
                new FunctionSpec("jvm", "java17", "dev.blocks.localcloud.testfunctions.EchoHandler", jvm, Map.of(),
                        256, 10, 1)), settings);
        try {
            long before = System.currentTimeMillis();
            JsonNode a = JSON.readTree(lambda.invoke("custom-a", "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
                    "{\"custom\":{\"k\":\"v\"}}"));
            long after = System.currentTimeMillis();
            JsonNode b = JSON.readTree(lambda.invoke("custom-b", "{\"n\":2}".getBytes(StandardCharsets.UTF_8)));
            JsonNode echo = JSON.readTree(lambda.invoke("jvm", "{\"n\":3}".getBytes(StandardCharsets.UTF_8)));

            assertThat(a.path("payload").path("n").asInt()).isEqualTo(1);
            assertThat(a.path("requestId").asText()).hasSize(36);
            assertThat(a.path("functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:custom-a");
            // The function's 10 s timeout, counted from when the runtime received the invocation.
            assertThat(Long.parseLong(a.path("deadlineMs").asText())).isBetween(before + 10_000, after + 10_000);
            assertThat(a.path("traceId").asText()).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0");
            assertThat(a.path("clientContext").asText()).isEqualTo("{\"custom\":{\"k\":\"v\"}}");
            assertThat(b.path("clientContext").isNull()).isTrue();
            // Unpacked once for both functions, away from the zip.
            assertThat(a.path("taskRoot").asText()).isEqualTo(b.path("taskRoot").asText()).startsWith(dir.toString())
                    .isNotEqualTo(custom.getParent().toString());
            assertThat(echo.path("received").path("n").asInt()).isEqualTo(3);
            assertThat(echo.path("env").path("LAMBDA_TASK_ROOT").asText()).isNotEqualTo(a.path("taskRoot").asText());
        } finally {
            lambda.close();
        }
        assertThat(OwnedProcesses.awaitNone(settings.owner(), Duration.ofSeconds(10))).isEmpty();
    }

    /** The test functions' classes, and a {@code bootstrap} when given, zipped as a deployment package. */
    private static Path zip(Path target, String bootstrap) throws IOException {
        Path classes = TestFunctions.artifact();
        Path functions = classes.resolve("dev/blocks/localcloud/testfunctions");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(target));
             Stream<Path> files = Files.list(functions)) {
            if (bootstrap != null) {
                zip.putNextEntry(new ZipEntry("bootstrap"));
                zip.write(bootstrap.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            for (Path file : files.toList()) {
                zip.putNextEntry(new ZipEntry(classes.relativize(file).toString()));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return target;
    }
}
