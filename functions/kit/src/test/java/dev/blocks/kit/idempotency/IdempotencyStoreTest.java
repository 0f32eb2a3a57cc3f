package dev.blocks.kit.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.HandClock;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Idempotency records on a real DynamoDB Local, with a clock of the test's: claim, in flight, done, fingerprint
 * mismatch, and the crash path (a claim left IN_FLIGHT is taken over, with its value, once its lease ran out).
 */
class IdempotencyStoreTest {

    @RegisterExtension
    static LocalCloudExtension cloud = LocalCloudExtension.services("dynamodb");

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration TTL = Duration.ofHours(24);
    private static final String TABLE = "idempotency-test";

    private static DynamoDbClient dynamo;

    @BeforeAll
    static void createTable() {
        Endpoints endpoints = cloud.endpoints();
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(endpoints.dynamodb()))
                .region(Region.of(endpoints.region())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(endpoints.accessKeyId(), endpoints.secretAccessKey())))
                .build();
        dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    private static String key() {
        return "k-" + UUID.randomUUID();
    }

    @Test
    void theFirstClaimHoldsTheKeyAConcurrentOneSeesItInFlightAndAfterCompletionADuplicate() {
        HandClock clock = new HandClock(Instant.now());
        IdempotencyStore store = new IdempotencyStore(dynamo, TABLE, clock);
        String key = key();

        assertThat(store.claim("s", key, "fp", "first", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Acquired("first", false));
        IdempotencyStore.Claim concurrent = store.claim("s", key, "fp", "second", LEASE, TTL);
        assertThat(concurrent).isEqualTo(new IdempotencyStore.Claim.InFlight("first", clock.instant().plus(LEASE).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));

        store.complete("s", key, TTL);
        clock.advance(LEASE.multipliedBy(3));
        assertThat(store.claim("s", key, "fp", "third", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Done("first"));
        // Scopes are apart: the same key in another scope is another record.
        assertThat(store.claim("other", key, "fp", "x", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Acquired("x", false));
    }

    @Test
    void theSameKeyWithAnotherFingerprintIsAMismatchInFlightAndDone() {
        HandClock clock = new HandClock(Instant.now());
        IdempotencyStore store = new IdempotencyStore(dynamo, TABLE, clock);
        String key = key();
        store.claim("s", key, "fp-a", "first", LEASE, TTL);

        assertThat(store.claim("s", key, "fp-b", "second", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Mismatch("first"));
        store.complete("s", key, TTL);
        assertThat(store.claim("s", key, "fp-b", "second", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Mismatch("first"));
        // A caller that compares no fingerprint only sees the state.
        assertThat(store.claim("s", key, null, "second", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Done("first"));
    }

    @Test
    void aClaimLeftInFlightByACrashIsTakenOverWithItsValueOnceTheLeaseRanOut() {
        HandClock clock = new HandClock(Instant.now());
        IdempotencyStore store = new IdempotencyStore(dynamo, TABLE, clock);
        String key = key();
        store.claim("s", key, "fp", "evt_first", LEASE, TTL);
        // ... and the holder dies here: no complete, no abandon.

        clock.advance(LEASE.minusSeconds(1));
        assertThat(store.claim("s", key, "fp", "evt_retry", LEASE, TTL)).isInstanceOf(IdempotencyStore.Claim.InFlight.class);
        clock.advance(Duration.ofSeconds(2));
        assertThat(store.claim("s", key, "fp", "evt_retry", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Acquired("evt_first", true));
        // The taker holds a lease of its own now.
        assertThat(store.claim("s", key, "fp", "evt_third", LEASE, TTL)).isInstanceOf(IdempotencyStore.Claim.InFlight.class);
        store.complete("s", key, TTL);
        assertThat(store.claim("s", key, "fp", "evt_third", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Done("evt_first"));
    }

    @Test
    void ofManyRetriesRacingForAnExpiredClaimExactlyOneTakesItOver() throws Exception {
        HandClock clock = new HandClock(Instant.now());
        IdempotencyStore store = new IdempotencyStore(dynamo, TABLE, clock);
        String key = key();
        store.claim("s", key, "fp", "evt_first", LEASE, TTL);
        clock.advance(LEASE.plusSeconds(1));

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<IdempotencyStore.Claim>> racers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String value = "evt_" + i;
                racers.add(() -> store.claim("s", key, "fp", value, LEASE, TTL));
            }
            List<IdempotencyStore.Claim> claims = new ArrayList<>();
            for (Future<IdempotencyStore.Claim> f : pool.invokeAll(racers)) {
                claims.add(f.get());
            }
            assertThat(claims).filteredOn(c -> c instanceof IdempotencyStore.Claim.Acquired).hasSize(1);
            assertThat(claims).filteredOn(c -> c instanceof IdempotencyStore.Claim.InFlight).hasSize(7);
            assertThat(claims).extracting(IdempotencyStore.Claim::value).containsOnly("evt_first");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAbandonedClaimIsTakenOverAtOnceAndAReleasedOneStartsAfresh() {
        HandClock clock = new HandClock(Instant.now());
        IdempotencyStore store = new IdempotencyStore(dynamo, TABLE, clock);
        String abandoned = key();
        store.claim("s", abandoned, "fp", "evt_first", LEASE, TTL);
        store.abandon("s", abandoned);
        assertThat(store.claim("s", abandoned, "fp", "evt_retry", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Acquired("evt_first", true));

        String released = key();
        store.claim("s", released, "fp", "evt_first", LEASE, TTL);
        store.release("s", released);
        assertThat(store.claim("s", released, "fp", "evt_retry", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Acquired("evt_retry", false));

        // Abandoning a completed claim changes nothing.
        String done = key();
        store.claim("s", done, "fp", "evt_done", LEASE, TTL);
        store.complete("s", done, TTL);
        store.abandon("s", done);
        assertThat(store.claim("s", done, "fp", "x", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Done("evt_done"));
    }

    @Test
    void anExpiredRecordCountsAsAbsentAndARecordWithoutStateAsDone() {
        HandClock clock = new HandClock(Instant.now());
        IdempotencyStore store = new IdempotencyStore(dynamo, TABLE, clock);
        String key = key();
        store.claim("s", key, "fp", "evt_old", LEASE, TTL);
        store.complete("s", key, TTL);
        clock.advance(TTL.plusSeconds(1));
        assertThat(store.find("s", key)).isEmpty();
        assertThat(store.claim("s", key, "fp-other", "evt_new", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Acquired("evt_new", false));

        String legacy = key();
        dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("id", AttributeValue.fromS("s#" + legacy),
                "value", AttributeValue.fromS("2026-01-01T00:00:00Z"),
                "expiresAt", AttributeValue.fromN(Long.toString(clock.instant().plus(TTL).getEpochSecond())))));
        assertThat(store.claim("s", legacy, "fp", "x", LEASE, TTL)).isEqualTo(new IdempotencyStore.Claim.Done("2026-01-01T00:00:00Z"));
    }
}
