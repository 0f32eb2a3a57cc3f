package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.EmfLog;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The redirect function's CloudWatch EMF lines, read from its log: under the deployment's namespace, with the
 * function dimension, and counting the tier each redirect was answered from and the codes that are no link.
 */
class MetricsIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final String REDIRECT = Cloud.PREFIX + "-redirect";

    @Test
    void redirectsCountTheTierThatAnsweredAndUnknownCodes() {
        Api api = new Api(CLOUD);
        String key = api.issueKey("mia");
        String code = api.created(key, "{\"url\":\"https://example.com/metrics\"}").path("code").asText();
        assertThat(api.redirect("zzzzzzx").statusCode()).isEqualTo(404);
        // The first redirect reads the table or Redis, the next ones this instance's memory. A line is written once
        // the interval (10 s by default) has passed, at the end of a redirect: keep redirecting until it has.
        List<JsonNode> lines = Api.pollUntil(Duration.ofSeconds(60), () -> {
            assertThat(api.redirect(code).statusCode()).isEqualTo(302);
            return EmfLog.lines(REDIRECT);
        }, found -> {
            Map<String, Long> counted = EmfLog.counters(found);
            return counted.getOrDefault("shortener.redirect_hits_memory", 0L) > 0
                    && counted.getOrDefault("shortener.redirect_not_found", 0L) > 0;
        });

        assertThat(lines).as("EMF lines of %s", REDIRECT).isNotEmpty();
        for (JsonNode line : lines) {
            JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).as("namespace = the deployment's prefix").isEqualTo(Cloud.PREFIX);
            assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"function\"]]");
            assertThat(line.path("function").asText()).isEqualTo("redirect");
        }
        Map<String, Long> counted = EmfLog.counters(lines);
        assertThat(counted.getOrDefault("shortener.redirect_hits_memory", 0L)).isPositive();
        assertThat(counted.getOrDefault("shortener.redirect_hits_dynamodb", 0L)
                + counted.getOrDefault("shortener.redirect_hits_redis", 0L))
                .as("the first redirect of the new link came from a store below memory").isPositive();
        assertThat(counted.getOrDefault("shortener.redirect_not_found", 0L)).isPositive();
    }
}
