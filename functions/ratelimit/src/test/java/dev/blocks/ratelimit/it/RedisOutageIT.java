package dev.blocks.ratelimit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * redis-server killed while checks keep coming: every check is still answered, allowed and marked fail-open
 * (fail-open rules), keys already over their limit stay refused from memory, and limiting resumes once Redis is
 * back (empty: a restarted Redis has lost its counters, and the script is loaded again on NOSCRIPT).
 */
class RedisOutageIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String admin;
    private static String service;

    @BeforeAll
    static void keys() {
        api = new Api(CLOUD);
        admin = api.issueKey(Cloud.ADMIN_OWNER);
        service = api.issueKey("gateway-service");
    }

    @Test
    void checksAreAnsweredThroughAnOutageAndLimitingResumesAfterIt() {
        String rule = Api.unique("outage");
        api.putRule(admin, rule, "{\"algorithm\":\"gcra\",\"limit\":2,\"windowSeconds\":3600,\"failMode\":\"open\"}");
        HttpResponse<String> applied = Api.pollUntil(Duration.ofSeconds(10), () -> api.check(service, rule, "probe"),
                r -> r.statusCode() != 404);
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);

        assertThat(api.check(service, rule, "over").statusCode()).isEqualTo(200);
        assertThat(api.check(service, rule, "over").statusCode()).isEqualTo(200);
        assertThat(api.check(service, rule, "over").statusCode()).isEqualTo(429);

        CLOUD.killService("redis");
        try {
            List<HttpResponse<String>> during = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                during.add(api.check(service, rule, "during-" + (i % 3)));
            }
            assertThat(during).allSatisfy(response -> {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode body = Api.json(response);
                assertThat(body.path("allowed").asBoolean()).isTrue();
                assertThat(body.path("failOpen").asBoolean()).isTrue();
                assertThat(body.path("source").asText()).isEqualTo("fail_open");
                assertThat(body.path("remaining").isNull()).isTrue();
                assertThat(response.headers().firstValue("x-ratelimit-fail-open")).hasValue("true");
                assertThat(response.headers().firstValue("ratelimit-policy")).hasValue("\"" + rule + "\";q=2;w=3600");
            });

            HttpResponse<String> stillOver = api.check(service, rule, "over");
            assertThat(stillOver.statusCode()).as("a key over its limit is refused from memory").isEqualTo(429);
            assertThat(Api.json(stillOver).path("source").asText()).isEqualTo("remembered");
        } finally {
            CLOUD.startService("redis");
        }

        // The breaker lets a probe through about a second after it opened; the first counted answer ends the outage.
        HttpResponse<String> resumed = Api.pollUntil(Duration.ofSeconds(30), () -> api.check(service, rule, "after"),
                r -> Api.json(r).path("source").asText().equals("counted"));
        assertThat(Api.json(resumed).path("source").asText()).as(resumed.body()).isEqualTo("counted");
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(Api.json(resumed).path("remaining").asLong()).isEqualTo(1);

        HttpResponse<String> second = api.check(service, rule, "after");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(Api.json(second).path("source").asText()).isEqualTo("counted");
        HttpResponse<String> limited = api.check(service, rule, "after");
        assertThat(limited.statusCode()).as("limiting resumed").isEqualTo(429);
        assertThat(Api.json(limited).path("source").asText()).isEqualTo("counted");
        assertThat(limited.headers().firstValue("retry-after")).isPresent();
    }
}
