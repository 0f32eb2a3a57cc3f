package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.util.UUID;
import java.util.function.Supplier;
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
        Api.RawAnswer first = api.createFrom(ip, key, LINK);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.headers()).containsEntry("x-ratelimit-limit", Integer.toString(PER_KEY))
                .containsKeys("x-ratelimit-remaining", "x-ratelimit-reset", "ratelimit");
        assertThat(first.headers().get("ratelimit-policy"))
                .contains("\"links-create-per-key\";q=100;w=60", "\"links-create-per-ip\";q=200;w=60");

        Outcome run = createUntilRefused(ip, () -> key, 3 * PER_KEY);
        // The bucket refills at 100 a minute while the loop runs, so it ends a little after 100.
        assertThat(run.admitted() + 1).isBetween(PER_KEY, PER_KEY + (int) Math.ceil(run.minutes() * PER_KEY) + 1);
        assertThat(run.refused().status()).isEqualTo(429);
        assertThat(run.refused().headers()).containsEntry("content-type", "application/problem+json")
                .containsEntry("x-ratelimit-remaining", "0")
                .containsKey("retry-after");
        assertThat(Long.parseLong(run.refused().headers().get("retry-after"))).isBetween(1L, 60L);
        assertThat(run.refused().body()).contains("rate-limited");

        String other = api.issueKey("rl-other-" + UUID.randomUUID());
        assertThat(api.createFrom(ip, other, LINK).status()).isEqualTo(201);
    }

    @Test
    void oneAddressIsRefusedWhateverKeysItUsesWhileTheSameKeyGoesOnFromElsewhere() {
        // A fresh key every 50 links: no key comes near its own limit, only the address does.
        int[] sent = {0};
        String[] key = {null};
        Outcome run = createUntilRefused("127.0.0.42", () -> {
            if (sent[0]++ % 50 == 0) {
                key[0] = api.issueKey("rl-ip-" + UUID.randomUUID());
            }
            return key[0];
        }, 3 * PER_IP);
        assertThat(run.admitted()).isBetween(PER_IP, PER_IP + (int) Math.ceil(run.minutes() * PER_IP) + 1);
        assertThat(run.refused().status()).isEqualTo(429);
        assertThat(run.refused().headers().get("ratelimit")).startsWith("\"links-create-per-ip\";r=0;");
        assertThat(run.refused().headers()).containsKey("retry-after");

        assertThat(api.createFrom("127.0.0.43", key[0], LINK).status()).isEqualTo(201);
    }

    /** How a run of creations ended: links admitted, the refusal, and how long it took. */
    private record Outcome(int admitted, Api.RawAnswer refused, double minutes) {}

    /** Creates links from {@code ip} with the keys given until one is refused; fails if none is within {@code atMost}. */
    private static Outcome createUntilRefused(String ip, Supplier<String> keys, int atMost) {
        long started = System.nanoTime();
        for (int admitted = 0; admitted < atMost; admitted++) {
            Api.RawAnswer answer = api.createFrom(ip, keys.get(), LINK);
            if (answer.status() != 201) {
                return new Outcome(admitted, answer, (System.nanoTime() - started) / 60e9);
            }
        }
        throw new AssertionError("no refusal after " + atMost + " links from " + ip);
    }
}
