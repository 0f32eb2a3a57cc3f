package dev.blocks.testfn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cloud can never leave a process behind: its whole tree (redis-server, Kafka, function JVMs) dies
 * with it even when it is SIGKILLed, where no shutdown hook runs. Every process it starts carries
 * {@code LOCAL_CLOUD_OWNER=local-cloud-<its pid>-<n>} in its environment, which is what this test looks for.
 */
class NoOrphansIT {

    @Test
    void nothingOutlivesAKilledCloud(@TempDir Path work) throws Exception {
        Path root = Path.of(System.getProperty("blocks.root", "../.."));
        Path endpoints = work.resolve("endpoints.json");
        Process cloud = new ProcessBuilder("java", "-jar", root.resolve("localstack/cloud/target/local-cloud.jar").toString(),
                "--terraform-dir", root.resolve("localstack/test-function/terraform").toString(),
                "--port", "0", "--endpoints-file", endpoints.toString(), "--log-dir", work.resolve("logs").toString(),
                "--exit-on-stdin-eof")
                .redirectErrorStream(true).redirectOutput(work.resolve("cloud.log").toFile()).start();
        String owner = "local-cloud-" + cloud.pid() + "-";
        try {
            LocalLambdaIT.await("the cloud to be ready", () -> Files.exists(endpoints) || !cloud.isAlive());
            assertThat(cloud.isAlive()).as("cloud started; log: " + work.resolve("cloud.log")).isTrue();
            assertThat(owned(owner)).as("processes the cloud started").isNotEmpty();
        } finally {
            cloud.destroyForcibly(); // SIGKILL: no shutdown hook runs
            cloud.waitFor();
        }
        LocalLambdaIT.await("every process of the killed cloud to exit", () -> owned(owner).isEmpty());
    }

    /** Pids of live processes whose environment names {@code ownerPrefix} as their owner. */
    private static List<Long> owned(String ownerPrefix) {
        List<Long> pids = new ArrayList<>();
        byte[] marker = ("LOCAL_CLOUD_OWNER=" + ownerPrefix).getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    byte[] environ = Files.readAllBytes(p.resolve("environ"));
                    if (indexOf(environ, marker) >= 0 && !isZombie(p)) {
                        pids.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | SecurityException gone) {
                    // the process exited while we looked, or is not ours to read
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }

    private static boolean isZombie(Path proc) throws IOException {
        String stat = Files.readString(proc.resolve("stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
