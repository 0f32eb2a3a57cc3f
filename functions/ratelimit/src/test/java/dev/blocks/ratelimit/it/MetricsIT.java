package dev.blocks.ratelimit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.EmfLog;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ratelimit-api's CloudWatch EMF lines, read from its log: the limiter's decisions reach CloudWatch through the
 * function's one metrics writer, under the deployment's namespace.
 */
class MetricsIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final String FUNCTION = Cloud.PREFIX + "-ratelimit-api";

    @Test
    void allowedAndRefusedChecksAreCounted() {
        Api api = new Api(CLOUD);
        String admin = api.issueKey(Cloud.ADMIN_OWNER);
        String service = api.issueKey("metrics-service");
        String rule = Api.unique("metrics");
        api.putRule(admin, rule, "{\"algorithm\":\"fixed_window\",\"limit\":1,\"windowSeconds\":3600}");
        HttpResponse<String> first = Api.pollUntil(Duration.ofSeconds(10), () -> api.check(service, rule, "alice"),
                r -> r.statusCode() != 404);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

        // A line is written at the end of a check once the interval (10 s by default) has passed since the last:
        // keep checking (refused from now on) until the function has written what was counted.
        List<JsonNode> lines = Api.pollUntil(Duration.ofSeconds(60), () -> {
            assertThat(api.check(service, rule, "alice").statusCode()).isEqualTo(429);
            return EmfLog.lines(FUNCTION);
        }, found -> EmfLog.counters(found).getOrDefault("ratelimit.allowed", 0L) > 0
                && EmfLog.counters(found).getOrDefault("ratelimit.refused", 0L)
                + EmfLog.counters(found).getOrDefault("ratelimit.refused_in_process", 0L) > 0);

        assertThat(lines).as("EMF lines of %s", FUNCTION).isNotEmpty();
        for (JsonNode line : lines) {
            assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo(Cloud.PREFIX);
            assertThat(line.path("function").asText()).isEqualTo("ratelimit-api");
        }
        Map<String, Long> counted = EmfLog.counters(lines);
        assertThat(counted.getOrDefault("ratelimit.allowed", 0L)).isPositive();
        assertThat(counted.getOrDefault("ratelimit.refused", 0L) + counted.getOrDefault("ratelimit.refused_in_process", 0L))
                .isPositive();
    }
}
