package dev.blocks.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.junit.Endpoints;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run as the child JVM other modules' tests start. */
class LocalCloudMainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void readsTheCommandLine() {
        LocalCloudMain.Invocation invocation = LocalCloudMain.parse(new String[] {
                "--terraform-dir", "infra/local", "--var", "a=1", "--var=b=x=y", "--port=0",
                "--services", "redis, S3", "--endpoints-file", "e.json", "--external-kafka", "k:9092",
                "--log-dir", "logs", "--exit-on-stdin-eof"});

        LocalCloudOptions options = invocation.options();
        assertThat(options.terraformDir()).isEqualTo(Path.of("infra/local"));
        assertThat(options.variables()).isEqualTo(java.util.Map.of("a", "1", "b", "x=y"));
        assertThat(options.gatewayPort()).isZero();
        assertThat(options.services()).containsExactlyInAnyOrder("redis", "s3");
        assertThat(options.endpointsFile()).isEqualTo(Path.of("e.json"));
        assertThat(options.externalKafka()).isEqualTo("k:9092");
        assertThat(options.logDir()).isEqualTo(Path.of("logs"));
        assertThat(options.emulated()).containsExactly("s3", "redis");
        assertThat(invocation.exitOnStdinEof()).isTrue();
    }

    @Test
    void runsLambdasExecutionModelUnlessToldOtherwise() {
        assertThat(LocalCloudMain.parse(new String[0]).options().execution())
                .isEqualTo(dev.blocks.localcloud.lambda.ExecutionModel.aws());

        dev.blocks.localcloud.lambda.ExecutionModel relaxed = LocalCloudMain.parse(new String[] {
                "--no-freeze", "--prewarm", "--idle-timeout", "7", "--init-timeout=30", "--account-concurrency", "9",
                "--instance-cap", "2", "--async-retry-delays", "1,2"}).options().execution();

        assertThat(relaxed.freeze()).isFalse();
        assertThat(relaxed.prewarm()).isTrue();
        assertThat(relaxed.idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(7));
        assertThat(relaxed.initTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(relaxed.accountConcurrency()).isEqualTo(9);
        assertThat(relaxed.instanceCap()).isEqualTo(2);
        assertThat(relaxed.asyncRetries().afterFunctionError())
                .containsExactly(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> LocalCloudMain.parse(new String[] {"--idle-timeout", "0"}))
                .hasMessageContaining("--idle-timeout must be at least 1");
    }

    @Test
    void defaultsToEveryServiceOnPort8080() {
        LocalCloudOptions options = LocalCloudMain.parse(new String[0]).options();

        assertThat(options.gatewayPort()).isEqualTo(8080);
        assertThat(options.emulated()).containsExactly("dynamodb", "sqs", "s3", "kafka", "redis");
        assertThat(options.terraformDir()).isNull();
    }

    @Test
    void externalServicesReplaceTheirEmulators() {
        LocalCloudOptions options = LocalCloudMain.parse(new String[] {
                "--external-aws", "http://localhost:4566", "--external-redis", "redis://localhost:6379"}).options();

        assertThat(options.emulated()).containsExactly("kafka");
        assertThat(options.external("sqs")).isEqualTo("http://localhost:4566");
    }

    @Test
    void refusesWhatItDoesNotUnderstand() {
        assertThatThrownBy(() -> LocalCloudMain.parse(new String[] {"--bogus"}))
                .hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> LocalCloudMain.parse(new String[] {"--port"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> LocalCloudMain.parse(new String[] {"--port", "x"})).hasMessageContaining("number");
        assertThatThrownBy(() -> LocalCloudMain.parse(new String[] {"--services", "mysql"}))
                .hasMessageContaining("unknown service mysql");
        assertThatThrownBy(() -> LocalCloudMain.parse(new String[] {"--var", "novalue"})).hasMessageContaining("NAME=VALUE");
        assertThatThrownBy(() -> LocalCloudMain.parse(new String[] {"--terraform-dir", "a", "--plan-json", "b"}))
                .hasMessageContaining("not both");
    }

    @Test
    void stopsEverythingWhenItsStandardInputCloses() throws Exception {
        Process cloud = startCloud("--exit-on-stdin-eof");
        try {
            Endpoints endpoints = awaitEndpoints(cloud);
            assertThat(RedisPing.answers(endpoints.redis())).isTrue();
            assertThat(endpoints.dynamodb()).isNull();

            cloud.getOutputStream().close();

            assertThat(cloud.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(OwnedProcesses.awaitNone(owner(cloud), Duration.ofSeconds(10))).isEmpty();
            assertThat(RedisPing.answers(endpoints.redis())).isFalse();
            assertThat(Files.readString(dir.resolve("out.txt")))
                    .contains("redis     " + endpoints.redis())
                    .contains("local cloud ready in");
        } finally {
            cloud.destroyForcibly();
        }
    }

    @Test
    void stopsEverythingOnSigterm() throws Exception {
        Process cloud = startCloud();
        try {
            Endpoints endpoints = awaitEndpoints(cloud);
            assertThat(OwnedProcesses.of(owner(cloud))).isNotEmpty();

            cloud.destroy();

            assertThat(cloud.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(OwnedProcesses.awaitNone(owner(cloud), Duration.ofSeconds(10))).isEmpty();
            assertThat(RedisPing.answers(endpoints.redis())).isFalse();
        } finally {
            cloud.destroyForcibly();
        }
    }

    @Test
    void leavesNothingBehindWhenKilled() throws Exception {
        Process cloud = startCloud();
        try {
            Endpoints endpoints = awaitEndpoints(cloud);
            assertThat(OwnedProcesses.of(owner(cloud))).isNotEmpty();

            // SIGKILL: no shutdown hook runs; the guards of the child processes must notice on their own.
            cloud.destroyForcibly();

            assertThat(cloud.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(OwnedProcesses.awaitNone(owner(cloud), Duration.ofSeconds(20))).isEmpty();
            assertThat(RedisPing.answers(endpoints.redis())).isFalse();
        } finally {
            cloud.destroyForcibly();
        }
    }

    private Process startCloud(String... extra) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                LocalCloudMain.class.getName(),
                "--services", "redis", "--port", "0",
                "--endpoints-file", dir.resolve("endpoints.json").toString(),
                "--log-dir", dir.resolve("logs").toString()));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .start();
    }

    private Endpoints awaitEndpoints(Process cloud) throws Exception {
        File file = dir.resolve("endpoints.json").toFile();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!file.exists()) {
            assertThat(cloud.isAlive()).as("the cloud is running; its output: %s", output()).isTrue();
            assertThat(System.nanoTime()).as("the endpoints file appears in time").isLessThan(deadline);
            Thread.sleep(50);
        }
        return JSON.readValue(file, Endpoints.class);
    }

    private String output() throws Exception {
        Path out = dir.resolve("out.txt");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    /** The first cloud of a JVM is named after the JVM's pid. */
    private static String owner(Process cloud) {
        return "local-cloud-" + cloud.pid() + "-1";
    }
}
