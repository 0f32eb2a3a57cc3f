package dev.blocks.localcloud.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CloudWatch EMF lines (dev.blocks.kit.metrics.Metrics) a function of this test JVM's cloud wrote to its log (the
 * local cloud keeps one file per function under target/local-cloud-logs, as CloudWatch Logs keeps a log group), and
 * the counters they carry summed as CloudWatch would sum them.
 */
public final class EmfLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmfLog() {}

    /** Every EMF line of {@code function} (the deployed name, prefix included) so far. */
    public static List<JsonNode> lines(String function) {
        Path logs = Path.of("target", "local-cloud-logs").toAbsolutePath();
        String mine = "-" + ProcessHandle.current().pid();
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.isDirectory(logs)) {
            return lines;
        }
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)
                    .filter(f -> f.getParent().getFileName().toString().endsWith(mine))
                    .filter(f -> f.getFileName().toString().equals(function + ".log"))::iterator) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.startsWith("{\"_aws\"")) {
                        lines.add(JSON.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** Each counter's sum over the lines. */
    public static Map<String, Long> counters(List<JsonNode> lines) {
        Map<String, Long> sums = new HashMap<>();
        for (JsonNode line : lines) {
            for (JsonNode metric : line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")) {
                if (metric.path("Unit").asText().equals("Count")) {
                    String name = metric.path("Name").asText();
                    sums.merge(name, line.path(name).asLong(), Long::sum);
                }
            }
        }
        return sums;
    }

    /** How many observations of a distribution the lines carry. */
    public static long observations(List<JsonNode> lines, String name) {
        long observed = 0;
        for (JsonNode line : lines) {
            for (JsonNode count : line.path(name).path("Counts")) {
                observed += count.asLong();
            }
        }
        return observed;
    }
}
