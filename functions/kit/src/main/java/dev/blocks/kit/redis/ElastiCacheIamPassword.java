package dev.blocks.kit.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The password a new Redis connection authenticates with: an {@link ElastiCacheIamToken} reused while it is younger
 * than {@link #REUSE_FOR} (10 minutes), so a connection opened with it has at least 5 of the token's 15 minutes
 * left, and a new one signed after that. Making one is local signing (no network call); the credentials are asked
 * for at each new token, so rotated credentials are picked up.
 */
public final class ElastiCacheIamPassword {

    /** How long a token is handed out after it was signed. */
    public static final Duration REUSE_FOR = Duration.ofMinutes(10);

    private final ElastiCacheIamToken tokens;
    private final Supplier<? extends AwsCredentialsIdentity> credentials;
    private final Clock clock;
    private String token;
    private Instant signedAt;

    public ElastiCacheIamPassword(ElastiCacheIamToken tokens, Supplier<? extends AwsCredentialsIdentity> credentials,
                                  Clock clock) {
        this.tokens = tokens;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** A token younger than {@link #REUSE_FOR}. */
    public synchronized String current() {
        Instant now = clock.instant();
        // A clock stepping back also gets a new token: the old one might be dated in the future.
        if (token == null || now.isBefore(signedAt) || !now.isBefore(signedAt.plus(REUSE_FOR))) {
            token = tokens.generate(credentials.get(), Clock.fixed(now, clock.getZone()));
            signedAt = now;
        }
        return token;
    }
}
