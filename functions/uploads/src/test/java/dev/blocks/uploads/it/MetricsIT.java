package dev.blocks.uploads.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.EmfLog;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The CloudWatch EMF lines of the functions that settle uploads, read from their logs: an object that matches its
 * declaration is counted as completed, one of another size as rejected. Whichever function settles an upload
 * first (the S3 event, or the API asked for its status) counts it, so both logs are read.
 */
class MetricsIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final List<String> SETTLERS = List.of(Cloud.EVENTS_FUNCTION, Cloud.PREFIX + "-uploads-api");

    private static Api api;
    private static String owner;
    private static S3Client s3;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        owner = api.issueKey("metrics");
        s3 = Cloud.s3(CLOUD);
    }

    @AfterAll
    static void tearDown() {
        s3.close();
    }

    private static void uploadMatching() {
        byte[] content = Api.bytes("counted " + UUID.randomUUID());
        JsonNode upload = api.start(owner, "filename", "counted.txt", "size", content.length, "contentType", "text/plain");
        assertThat(Api.sendSigned("PUT", upload.path("url").asText(), upload.path("headers"), content).statusCode())
                .isEqualTo(200);
    }

    private static List<JsonNode> lines() {
        List<JsonNode> lines = new ArrayList<>();
        SETTLERS.forEach(function -> lines.addAll(EmfLog.lines(function)));
        return lines;
    }

    @Test
    void completedAndRejectedUploadsAreCounted() {
        uploadMatching();
        JsonNode wrong = api.start(owner, "filename", "declared.txt", "size", 100, "contentType", "text/plain");
        s3.putObject(b -> b.bucket(Cloud.BUCKET).key(wrong.path("key").asText()).contentType("text/plain"),
                RequestBody.fromString("fewer bytes than declared"));
        api.awaitStatus(owner, wrong.path("uploadId").asText(), "FAILED");

        // A line is written at the end of an invocation once the interval (10 s by default) has passed since the
        // last: more uploads, one a second, invoke the functions until they have written what was counted.
        long[] next = {System.nanoTime()};
        List<JsonNode> lines = Api.pollUntil(Duration.ofSeconds(90), () -> {
            if (System.nanoTime() - next[0] >= 0) {
                uploadMatching();
                next[0] = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            }
            return lines();
        }, found -> EmfLog.counters(found).getOrDefault("uploads.completed", 0L) > 0
                && EmfLog.counters(found).getOrDefault("uploads.rejected", 0L) > 0);

        assertThat(lines).as("EMF lines of %s", SETTLERS).isNotEmpty();
        for (JsonNode line : lines) {
            assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo(Cloud.PREFIX);
            assertThat(line.path("function").asText()).isIn("uploads-events", "uploads-api");
        }
        Map<String, Long> counted = EmfLog.counters(lines);
        assertThat(counted.getOrDefault("uploads.completed", 0L)).isPositive();
        assertThat(counted.getOrDefault("uploads.rejected", 0L)).isPositive();
    }
}
