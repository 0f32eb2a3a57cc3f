package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /v1/links behind the kit's rate limiter on the real Redis of the local cloud, with the test stack's rules:
 * 100 a minute per API key (token bucket, no burst) and 200 a minute per client IP (sliding window). Requests come
 * from their own loopback addresses, so the gateway reports distinct client IPs and the other tests' address
 * (127.0.0.1) is not counted here.
 */
class RateLimitIT {

    private static final int PER_KEY = 100;
    private static final int PER_IP = 200;
    private static final String LINK = "{\"url\":\"https://example.com/limited\"}";

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
    }

    @Test
    void oneApiKeyIsRefusedOnceItsBucketIsEmptyWhileAnotherKeyGoesOn() {
        String ip = "127.0.0.41";
        String key = api.issueKey("rl-key-" + UUID.randomUUID());
        long started = System.nanoTime();
        Api.RawAnswer first = api.createFrom(ip, key, LINK);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.headers()).containsEntry("x-ratelimit-limit", Integer.toString(PER_KEY))
                .containsKeys("x-ratelimit-remaining", "x-ratelimit-reset", "ratelimit");
        assertThat(first.headers().get("ratelimit-policy"))
                .contains("\"links-create-per-key\";q=100;w=60", "\"links-create-per-ip\";q=200;w=60");

        int admitted = 1;
        Api.RawAnswer refused = null;
        // The bucket refills at 100 a minute while the loop runs, so it ends a little after 100; 3 * PER_KEY bounds it.
        while (admitted < 3 * PER_KEY) {
            Api.RawAnswer answer = api.createFrom(ip, key, LINK);
            if (answer.status() != 201) {
                refused = answer;
                break;
            }
            admitted++;
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        assertThat(refused).as("a refusal after %d links", admitted).isNotNull();
        assertThat(admitted).isBetween(PER_KEY, PER_KEY + (int) Math.ceil(minutes * PER_KEY) + 1);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers()).containsEntry("content-type", "application/problem+json")
                .containsEntry("x-ratelimit-remaining", "0")
                .containsKey("retry-after");
        assertThat(Long.parseLong(refused.headers().get("retry-after"))).isBetween(1L, 60L);
        assertThat(refused.body()).contains("rate-limited");

        String other = api.issueKey("rl-other-" + UUID.randomUUID());
        assertThat(api.createFrom(ip, other, LINK).status()).isEqualTo(201);
    }

    @Test
    void oneAddressIsRefusedWhateverKeysItUsesWhileTheSameKeyGoesOnFromElsewhere() {
        String ip = "127.0.0.42";
        long started = System.nanoTime();
        int admitted = 0;
        Api.RawAnswer refused = null;
        String lastKey = null;
        // Fresh keys every 50 links: no key comes near its own limit, only the address does.
        while (refused == null && admitted < 3 * PER_IP) {
            lastKey = api.issueKey("rl-ip-" + UUID.randomUUID());
            for (int i = 0; i < 50; i++) {
                Api.RawAnswer answer = api.createFrom(ip, lastKey, LINK);
                if (answer.status() != 201) {
                    refused = answer;
                    break;
                }
                admitted++;
            }
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        assertThat(refused).as("a refusal after %d links", admitted).isNotNull();
        assertThat(admitted).isBetween(PER_IP, PER_IP + (int) Math.ceil(minutes * PER_IP) + 1);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers().get("ratelimit")).startsWith("\"links-create-per-ip\";r=0;");
        assertThat(refused.headers()).containsKey("retry-after");

        assertThat(api.createFrom("127.0.0.43", lastKey, LINK).status()).isEqualTo(201);
    }
}
