package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Codes never collide by construction: four JVMs, four threads each, take 50,000 codes concurrently from the
 * cloud's Redis counter (the one links-api uses) and store each as a link with links-api's conditional put: all
 * 50,000 are distinct, none is found taken, and links-api, on the same counter, keeps handing out fresh ones.
 */
class CodeUniquenessIT {

    private static final int PROCESSES = 4;
    private static final int LINKS = 50_000;
    /** Every n-th code is stored as a link; 1 stores them all. */
    private static final int STORE_EVERY = 1;

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    @Test
    void fourProcessesTake50000DistinctCodes(@TempDir Path dir) throws Exception {
        Endpoints endpoints = CLOUD.endpoints();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            for (int p = 0; p < PROCESSES; p++) {
                Path out = dir.resolve("codes-" + p + ".txt");
                outputs.add(out);
                processes.add(new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                        System.getProperty("java.class.path"), CodeWorker.class.getName(),
                        endpoints.redis(), endpoints.dynamodb(), endpoints.region(), endpoints.accessKeyId(),
                        endpoints.secretAccessKey(), Cloud.TABLE, Cloud.PREFIX + ":shortener:",
                        Integer.toString(LINKS / PROCESSES), "4", Integer.toString(STORE_EVERY), out.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("worker-" + p + ".log").toFile())
                        .start());
            }
            for (int p = 0; p < PROCESSES; p++) {
                Process process = processes.get(p);
                // A guard against a hung worker, not a speed check: the 50,000 conditional puts take 1.5 min on a
                // quiet 2-core machine and several times that on a loaded one.
                boolean ended = process.waitFor(900, TimeUnit.SECONDS);
                assertThat(ended).as("worker %d finished in time; log: %s", p, log(dir, p)).isTrue();
                assertThat(process.exitValue()).as("worker %d exit; log: %s", p, log(dir, p)).isZero();
                assertThat(log(dir, p)).as("worker %d stored its sample, none taken", p)
                        .contains("codes=" + LINKS / PROCESSES + " stored=" + LINKS / PROCESSES / STORE_EVERY + " taken=0");
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }

        Set<String> codes = new HashSet<>();
        List<String> stored = new ArrayList<>();
        long total = 0;
        for (Path out : outputs) {
            List<String> lines = Files.readAllLines(out, StandardCharsets.US_ASCII);
            total += lines.size();
            codes.addAll(lines);
            stored.addAll(Files.readAllLines(Path.of(out + ".stored"), StandardCharsets.US_ASCII));
        }
        assertThat(total).isEqualTo(LINKS);
        assertThat(codes).hasSize(LINKS).allMatch(c -> c.matches("[0-9A-Za-z]{7}"));

        // The stored links are real links, and links-api, on the same counter, keeps handing out fresh codes.
        assertThat(stored).hasSize(LINKS / STORE_EVERY).allMatch(codes::contains);
        Api api = new Api(CLOUD);
        for (String sample : List.of(stored.get(0), stored.get(stored.size() - 1))) {
            assertThat(api.redirect(sample).headers().firstValue("location")).hasValue("https://example.com/uniqueness");
        }
        String key = api.issueKey("erin");
        for (int i = 0; i < 3; i++) {
            String code = api.created(key, "{\"url\":\"https://example.com/after-uniqueness\"}").path("code").asText();
            assertThat(codes).doesNotContain(code);
        }
    }

    private static String log(Path dir, int p) throws IOException {
        Path log = dir.resolve("worker-" + p + ".log");
        return Files.exists(log) ? Files.readString(log) : "(none)";
    }
}
