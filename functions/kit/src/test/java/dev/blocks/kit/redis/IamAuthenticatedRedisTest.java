package dev.blocks.kit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.blocks.kit.HandClock;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The IAM client on a real redis-server standing in for ElastiCache's check: an ACL user whose only password is
 * the token the test expects for the current time (redis-server cannot verify SigV4, ElastiCache does). TLS is not
 * part of this test (the local redis-server listens in plain text); the endpoint form is {@link RedisAuthTest}'s.
 */
class IamAuthenticatedRedisTest {

    @RegisterExtension
    static LocalCloudExtension cloud = LocalCloudExtension.services("redis");

    private static final String USER = "blocks-functions";
    private static final ElastiCacheIamToken TOKENS = new ElastiCacheIamToken("blocks-redis", USER, true, "us-east-1");
    private static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDEXAMPLE", "secret");

    private static Vertx vertx;
    private static Redis admin;

    private final HandClock clock = new HandClock(Instant.parse("2026-12-07T12:00:00Z"));
    private Redis iam;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        admin = Redis.createClient(vertx, cloud.endpoints().redis());
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void dropUser() throws Exception {
        if (iam != null) {
            iam.close();
        }
        await(admin.send(Request.cmd(Command.ACL).arg("DELUSER").arg(USER)));
    }

    /** The ACL user accepts exactly the token for the clock's current time, and its open connections are dropped. */
    private String rotateServerPassword() throws Exception {
        String token = TOKENS.generate(CREDENTIALS, Clock.fixed(clock.instant(), ZoneOffset.UTC));
        await(admin.send(Request.cmd(Command.ACL).arg("SETUSER").arg(USER).arg("on").arg("resetpass")
                .arg(">" + token).arg("~*").arg("&*").arg("+@all")));
        await(admin.send(Request.cmd(Command.CLIENT).arg("KILL").arg("USER").arg(USER)));
        return token;
    }

    private static String endpointWithUser() {
        URI plain = URI.create(cloud.endpoints().redis());
        // RedisAuth.endpointWithUser's form, over plain text (it refuses redis:// for real use).
        return plain.getScheme() + "://" + plain.getHost() + ":" + plain.getPort() + "?user=" + USER;
    }

    @Test
    void newConnectionsAuthenticateWithAFreshTokenAfterTenMinutes() throws Exception {
        String first = rotateServerPassword();
        iam = IamAuthenticatedRedis.standalone(vertx, new RedisOptions().setEndpoint(endpointWithUser()),
                new ElastiCacheIamPassword(TOKENS, () -> CREDENTIALS, clock));

        assertThat(whoami(iam)).isEqualTo(USER);

        // Eleven minutes later ElastiCache would no longer take the first token for a new connection.
        clock.advance(Duration.ofMinutes(11));
        String second = rotateServerPassword();
        assertThat(second).isNotEqualTo(first);

        assertThat(pollWhoami(iam)).isEqualTo(USER);
        // The same rotation refuses a client that kept the first token: the check above could fail.
        Redis stale = Redis.createClient(vertx, new RedisOptions().setEndpoint(endpointWithUser()).setPassword(first));
        try {
            assertThatThrownBy(() -> whoami(stale)).hasMessageContaining("WRONGPASS");
        } finally {
            stale.close();
        }
    }

    @Test
    void withinTenMinutesTheSameTokenIsUsed() throws Exception {
        rotateServerPassword();
        iam = IamAuthenticatedRedis.standalone(vertx, new RedisOptions().setEndpoint(endpointWithUser()),
                new ElastiCacheIamPassword(TOKENS, () -> CREDENTIALS, clock));
        assertThat(whoami(iam)).isEqualTo(USER);

        clock.advance(Duration.ofMinutes(9));
        // The server still holds the token signed nine minutes ago only; new connections must keep using it.
        await(admin.send(Request.cmd(Command.CLIENT).arg("KILL").arg("USER").arg(USER)));

        assertThat(pollWhoami(iam)).isEqualTo(USER);
    }

    private static String whoami(Redis client) throws Exception {
        return await(client.send(Request.cmd(Command.ACL).arg("WHOAMI"))).toString();
    }

    /**
     * A killed connection may still be handed out once before its close is seen: the command is sent again at once
     * (each try is a round trip, which is what gives the close time to land) until it succeeds or a deadline passes.
     */
    private static String pollWhoami(Redis client) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                return whoami(client);
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static Response await(Future<Response> reply) throws Exception {
        return reply.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
