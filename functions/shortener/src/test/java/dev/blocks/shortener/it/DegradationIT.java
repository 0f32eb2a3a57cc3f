package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redirects survive the loss of Redis (served from DynamoDB) and of Kafka (clicks are lost and counted). */
class DegradationIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String key;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        key = api.issueKey("dave");
    }

    @Test
    void redirectsGoOnWhileRedisIsDown() {
        String hot = api.created(key, "{\"url\":\"https://example.com/hot\"}").path("code").asText();
        String cold = api.created(key, "{\"url\":\"https://example.com/cold\"}").path("code").asText();
        assertThat(api.redirect(hot).statusCode()).isEqualTo(302);

        CLOUD.stopService("redis");
        try {
            // Never looked up before: neither cache has it, so this answer comes from DynamoDB.
            HttpResponse<String> fromTable = api.redirect(cold);
            assertThat(fromTable.statusCode()).isEqualTo(302);
            assertThat(fromTable.headers().firstValue("location")).hasValue("https://example.com/cold");
            assertThat(api.redirect(hot).statusCode()).isEqualTo(302);

            // links-api still holds a reserved block of codes, so creating goes on too; the redirect reads DynamoDB.
            String created = api.created(key, "{\"url\":\"https://example.com/during\"}").path("code").asText();
            assertThat(api.redirect(created).headers().firstValue("location")).hasValue("https://example.com/during");
            for (int i = 0; i < 5; i++) {
                assertThat(api.redirect(cold).statusCode()).isEqualTo(302);
                assertThat(api.redirect("zzzzzzy").statusCode()).isEqualTo(404);
            }
        } finally {
            CLOUD.startService("redis");
        }
        // Redis came back empty: the counter is restored from its floor and redirects fill the cache again.
        HttpResponse<String> after = Api.pollUntil(Duration.ofSeconds(10), () -> api.redirect(cold), r -> r.statusCode() == 302);
        assertThat(after.statusCode()).isEqualTo(302);
        String next = api.created(key, "{\"url\":\"https://example.com/after\"}").path("code").asText();
        assertThat(api.redirect(next).statusCode()).isEqualTo(302);
    }

    @Test
    void redirectsGoOnWhileKafkaIsDown() {
        String code = api.created(key, "{\"url\":\"https://example.com/no-kafka\"}").path("code").asText();
        assertThat(api.redirect(code).statusCode()).isEqualTo(302);

        CLOUD.stopService("kafka");
        try {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> redirect = api.redirect(code);
                assertThat(redirect.statusCode()).isEqualTo(302);
                assertThat(redirect.headers().firstValue("location")).hasValue("https://example.com/no-kafka");
            }
            String during = api.created(key, "{\"url\":\"https://example.com/during-kafka\"}").path("code").asText();
            assertThat(api.redirect(during).statusCode()).isEqualTo(302);
        } finally {
            CLOUD.startService("kafka");
        }
        assertThat(api.redirect(code).statusCode()).isEqualTo(302);
    }
}
