package dev.blocks.webhooks.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.secrets.AesGcmCipher;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.webhooks.domain.Endpoint;
import dev.blocks.webhooks.domain.SecretSet;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Where endpoint secrets are decrypted (in AWS each decryption is a KMS call): listing an owner's endpoints (what
 * fan-out reads) decrypts none; the deliverer's reads decrypt an endpoint's secrets once per secret-cache TTL, and a
 * rotation (a new ciphertext) at once. On DynamoDB Local, with the real AES-GCM cipher counted.
 */
class EndpointSecretsTest {

    @RegisterExtension
    static LocalCloudExtension cloud = LocalCloudExtension.services("dynamodb");

    private static final String TABLE = "endpoints-secrets-test";
    private static DynamoDbClient dynamo;

    /** The real cipher, counting its decryptions. */
    private static final class Counting implements SecretCipher {
        private final SecretCipher cipher;
        final AtomicInteger decrypts = new AtomicInteger();

        Counting() {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            this.cipher = SecretCipher.sealedWith(new AesGcmCipher(Base64.getEncoder().encodeToString(key)));
        }

        @Override
        public String encrypt(SecretSet secrets, String context) {
            return cipher.encrypt(secrets, context);
        }

        @Override
        public SecretSet decrypt(String ciphertext, String context) {
            decrypts.incrementAndGet();
            return cipher.decrypt(ciphertext, context);
        }
    }

    @BeforeAll
    static void createTable() {
        Endpoints endpoints = cloud.endpoints();
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(endpoints.dynamodb()))
                .region(Region.of(endpoints.region())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(endpoints.accessKeyId(), endpoints.secretAccessKey())))
                .build();
        dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("owner").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("owner").keyType(KeyType.HASH), k -> k.attributeName("id").keyType(KeyType.RANGE)));
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    private static Endpoint endpoint(String owner, int n) {
        Instant now = Instant.now();
        return new Endpoint(owner, "ep_" + n, "https://receiver.example/" + n, List.of("*"), "d" + n,
                SecretSet.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" + n), null, false, null, null, now, now);
    }

    @Test
    void listingAnOwnersEndpointsDecryptsNothing() {
        Counting cipher = new Counting();
        EndpointTable table = new EndpointTable(dynamo, TABLE, cipher);
        String owner = "owner-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            table.create(endpoint(owner, i));
        }

        List<Endpoint> listed = table.list(owner, 100);

        assertThat(cipher.decrypts).hasValue(0);
        assertThat(listed).hasSize(5).allSatisfy(e -> {
            assertThat(e.secrets()).isNull();
            assertThat(e.url()).startsWith("https://receiver.example/");
            assertThat(e.events()).containsExactly("*");
            assertThat(e.owner()).isEqualTo(owner);
            assertThat(e.subscribed("any.type")).isTrue();
        });
        // A read for signing decrypts.
        assertThat(table.find(owner, "ep_3").orElseThrow().secrets().newest()).endsWith("3");
        assertThat(cipher.decrypts).hasValue(1);
    }

    @Test
    void theDelivererDecryptsOncePerTtlAndARotationAtOnce() {
        Counting cipher = new Counting();
        AtomicLong nanos = new AtomicLong();
        EndpointTable table = new EndpointTable(dynamo, TABLE, SecretCipher.cached(cipher, Duration.ofMinutes(5), nanos::get));
        String owner = "owner-" + UUID.randomUUID();
        Endpoint created = endpoint(owner, 1);
        table.create(created);

        for (int i = 0; i < 10; i++) {
            assertThat(table.find(owner, "ep_1").orElseThrow().secrets()).isEqualTo(created.secrets());
            nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        }
        assertThat(cipher.decrypts).as("ten reads within the TTL").hasValue(1);

        SecretSet rotated = created.secrets().rotatedTo("whsec_bmV3LXNlY3JldC1hZnRlci1yb3RhdGlvbg==");
        table.update(owner, "ep_1", new EndpointTable.Change(null, null, null, null, rotated, Instant.now().plusSeconds(60)), Instant.now());
        assertThat(cipher.decrypts).as("the update's answer").hasValue(2);
        assertThat(table.find(owner, "ep_1").orElseThrow().secrets()).isEqualTo(rotated);
        assertThat(cipher.decrypts).as("the rotated secrets were cached by the update's read").hasValue(2);

        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(table.find(owner, "ep_1").orElseThrow().secrets()).isEqualTo(rotated);
        assertThat(cipher.decrypts).as("after the TTL").hasValue(3);
    }
}
