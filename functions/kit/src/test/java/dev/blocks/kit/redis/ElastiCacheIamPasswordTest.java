package dev.blocks.kit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.HandClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

class ElastiCacheIamPasswordTest {

    private static final ElastiCacheIamToken TOKENS =
            new ElastiCacheIamToken("blocks-redis", "blocks-functions", true, "us-east-1");
    private static final Instant START = Instant.parse("2026-12-07T12:00:00Z");

    private final AtomicInteger lookups = new AtomicInteger();
    private final Supplier<AwsCredentialsIdentity> credentials = () -> {
        lookups.incrementAndGet();
        return AwsBasicCredentials.create("AKIDEXAMPLE", "secret");
    };

    @Test
    void aTokenIsReusedForTenMinutesThenSignedAnew() {
        HandClock clock = new HandClock(START);
        ElastiCacheIamPassword password = new ElastiCacheIamPassword(TOKENS, credentials, clock);

        String first = password.current();
        assertThat(first).isEqualTo(TOKENS.generate(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"),
                Clock.fixed(START, ZoneOffset.UTC)));

        clock.set(START.plus(ElastiCacheIamPassword.REUSE_FOR).minusMillis(1));
        assertThat(password.current()).isEqualTo(first);
        assertThat(lookups).hasValue(1);

        clock.set(START.plus(ElastiCacheIamPassword.REUSE_FOR));
        String second = password.current();
        assertThat(second).isNotEqualTo(first).contains("X-Amz-Date=20261207T121000Z");
        assertThat(lookups).hasValue(2);
    }

    @Test
    void everyTokenHandedOutHasAtLeastFiveMinutesLeft() {
        HandClock clock = new HandClock(START);
        ElastiCacheIamPassword password = new ElastiCacheIamPassword(TOKENS, credentials, clock);
        for (int second = 0; second < 3_600; second += 7) {
            clock.set(START.plusSeconds(second));
            String token = password.current();
            Instant signed = signedAt(token);
            assertThat(signed.plus(ElastiCacheIamToken.VALIDITY)).isAfterOrEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
            assertThat(signed).isBeforeOrEqualTo(clock.instant());
        }
    }

    @Test
    void aClockSteppingBackGetsANewToken() {
        HandClock clock = new HandClock(START);
        ElastiCacheIamPassword password = new ElastiCacheIamPassword(TOKENS, credentials, clock);
        String first = password.current();

        clock.set(START.minusSeconds(30));

        assertThat(password.current()).isNotEqualTo(first);
        assertThat(signedAt(password.current())).isEqualTo(START.minusSeconds(30));
    }

    private static Instant signedAt(String token) {
        int at = token.indexOf("X-Amz-Date=") + "X-Amz-Date=".length();
        String stamp = token.substring(at, at + 16); // yyyyMMdd'T'HHmmss'Z'
        return Instant.parse(stamp.substring(0, 4) + "-" + stamp.substring(4, 6) + "-" + stamp.substring(6, 8) + "T"
                + stamp.substring(9, 11) + ":" + stamp.substring(11, 13) + ":" + stamp.substring(13, 15) + "Z");
    }
}
