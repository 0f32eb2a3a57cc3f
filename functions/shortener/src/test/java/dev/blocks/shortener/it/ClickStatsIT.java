package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Clicks travel redirect → Kafka → clicks consumer → DynamoDB counters and a Redis HyperLogLog → stats. */
class ClickStatsIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    /**
     * One click, then silence: nothing thaws the redirect's frozen environment afterwards, so the click arrives
     * only if the redirect delivered it before answering (the test stack's linger outlasts the freeze).
     */
    @Test
    void theOnlyClickOfAQuietLinkArrivesThoughTheRedirectIsFrozenRightAfterIt() {
        Api api = new Api(CLOUD);
        String key = api.issueKey("quinn");
        String code = api.created(key, "{\"url\":\"https://example.com/quiet\"}").path("code").asText();

        assertThat(api.visitFrom("127.0.0.5", code, "https://quiet.example/")).isEqualTo(302);

        JsonNode stats = Api.pollUntil(Duration.ofSeconds(30),
                () -> Api.json(api.get(key, "/v1/links/" + code + "/stats")), s -> s.path("clicks").asLong() >= 1);
        assertThat(stats.path("clicks").asLong()).isEqualTo(1);
        assertThat(stats.path("topReferrers").get(0).path("referrer").asText()).isEqualTo("quiet.example");
    }

    @Test
    void statsCountClicksByDayReferrerAndUniqueVisitor() {
        Api api = new Api(CLOUD);
        String key = api.issueKey("carol");
        String code = api.created(key, "{\"url\":\"https://example.com/popular\"}").path("code").asText();

        JsonNode empty = Api.json(api.get(key, "/v1/links/" + code + "/stats"));
        assertThat(empty.path("clicks").asLong()).isZero();

        // 9 clicks from 3 visitors (distinct client IPs): 5 from news.example, 3 from blog.example, 1 direct.
        String[] visitors = {"127.0.0.2", "127.0.0.3", "127.0.0.4"};
        int sent = 0;
        for (int i = 0; i < 5; i++) {
            assertThat(api.visitFrom(visitors[i % 3], code, "https://www.news.example/story/" + i)).isEqualTo(302);
            sent++;
        }
        for (int i = 0; i < 3; i++) {
            assertThat(api.visitFrom(visitors[i], code, "https://blog.example/post")).isEqualTo(302);
            sent++;
        }
        assertThat(api.visitFrom(visitors[0], code, null)).isEqualTo(302);
        sent++;
        long expected = sent;

        // The consumer adds a batch to the counters in DynamoDB and then to the visitors' HyperLogLog in Redis: a
        // read between the two sees the clicks before their visitors, so wait for both.
        JsonNode stats = Api.pollUntil(Duration.ofSeconds(60),
                () -> Api.json(api.get(key, "/v1/links/" + code + "/stats")),
                s -> s.path("clicks").asLong() >= expected && s.path("uniqueVisitors").asLong() >= visitors.length);

        assertThat(stats.path("clicks").asLong()).isEqualTo(9);
        assertThat(stats.path("uniqueVisitors").asLong()).isEqualTo(3);
        assertThat(stats.path("clicksByDay")).hasSizeBetween(1, 2); // a run across midnight UTC spans two days
        long byDay = 0;
        for (JsonNode day : stats.path("clicksByDay")) {
            byDay += day.path("clicks").asLong();
        }
        assertThat(byDay).isEqualTo(9);
        String lastDay = stats.path("clicksByDay").get(stats.path("clicksByDay").size() - 1).path("day").asText();
        assertThat(lastDay).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        JsonNode referrers = stats.path("topReferrers");
        assertThat(referrers.get(0).path("referrer").asText()).isEqualTo("news.example");
        assertThat(referrers.get(0).path("clicks").asLong()).isEqualTo(5);
        assertThat(referrers.get(1).path("referrer").asText()).isEqualTo("blog.example");
        assertThat(referrers.get(1).path("clicks").asLong()).isEqualTo(3);
        assertThat(referrers.get(2).path("referrer").asText()).isEqualTo("(direct)");
    }
}
