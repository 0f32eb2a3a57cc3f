package dev.blocks.localcloud.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.emulators.DynamoDbLocalEmulator;
import dev.blocks.localcloud.emulators.KafkaEmulator;
import dev.blocks.localcloud.emulators.S3Emulator;
import dev.blocks.localcloud.emulators.SqsEmulator;
import dev.blocks.localcloud.spec.BucketSpec;
import dev.blocks.localcloud.spec.BucketSpec.CorsRule;
import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.QueueSpec;
import dev.blocks.localcloud.spec.TableSpec;
import dev.blocks.localcloud.spec.TableSpec.IndexSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Provisions a spec into the real emulators and checks what they then hold and how it behaves. */
class ProvisionerTest {

    private static final CloudSpec SPEC = new CloudSpec(
            List.of(new TableSpec("records", "pk", Optional.of("sk"), Map.of("pk", "S", "sk", "S", "kind", "S"),
                    List.of(new IndexSpec("byKind", "kind", Optional.of("sk"), "ALL", List.of())),
                    Optional.of("expiresAt"),
                    List.of(new IndexSpec("bySk", "pk", Optional.of("kind"), "KEYS_ONLY", List.of())))),
            // the queue comes before its dead-letter queue on purpose: the provisioner must reorder
            List.of(new QueueSpec("work", false, false, 0, 0, 3_600, Optional.of("work-dlq"), 2),
                    new QueueSpec("work-dlq", false, false, 0, 30, 1_209_600, Optional.empty(), 0),
                    new QueueSpec("orders.fifo", true, true, 0, 30, 345_600, Optional.empty(), 0)),
            List.of(new BucketSpec("uploads", List.of(), List.of(
                    new CorsRule(List.of("*"), List.of("PUT"), List.of("*"), List.of("ETag"), 300)))),
            List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of("events"));

    private static final DynamoDbLocalEmulator DYNAMODB = new DynamoDbLocalEmulator();
    private static final SqsEmulator SQS = new SqsEmulator();
    private static final S3Emulator S3 = new S3Emulator();
    private static final KafkaEmulator KAFKA = new KafkaEmulator();

    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static S3Client s3;
    private static Admin kafka;
    private static List<String> topicsCreatedFirst;
    private static List<String> topicsCreatedAgain;

    @BeforeAll
    static void provisionTwice() throws Exception {
        DYNAMODB.start();
        SQS.start();
        S3.start();
        KAFKA.start();
        var anyCredentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(DYNAMODB.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(anyCredentials).httpClient(UrlConnectionHttpClient.create()).build();
        sqs = SqsClient.builder().endpointOverride(URI.create(SQS.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(anyCredentials).httpClient(UrlConnectionHttpClient.create()).build();
        s3 = S3Client.builder().endpointOverride(URI.create(S3.endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Emulator.ACCESS_KEY, S3Emulator.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
        kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.endpoint()));

        Provisioner provisioner = new Provisioner(dynamo, sqs, s3, kafka);
        provisioner.apply(SPEC);
        topicsCreatedFirst = provisioner.createMissingTopics(SPEC.kafkaTopics());
        // a second start of the local cloud finds everything there already
        provisioner.apply(SPEC);
        topicsCreatedAgain = provisioner.createMissingTopics(SPEC.kafkaTopics());
    }

    @AfterAll
    static void stopEmulators() {
        for (AutoCloseable closeable : new AutoCloseable[] {kafka, s3, sqs, dynamo, KAFKA, S3, SQS, DYNAMODB}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @Test
    void createsTheTableWithKeysIndexesAndTimeToLive() {
        TableDescription table = dynamo.describeTable(b -> b.tableName("records")).table();

        assertThat(table.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType())
                .containsExactly("pk:" + KeyType.HASH, "sk:" + KeyType.RANGE);
        assertThat(table.globalSecondaryIndexes()).singleElement().satisfies(index -> {
            assertThat(index.indexName()).isEqualTo("byKind");
            assertThat(index.keySchema()).extracting(k -> k.attributeName()).containsExactly("kind", "sk");
            assertThat(index.projection().projectionTypeAsString()).isEqualTo("ALL");
            assertThat(index.indexStatus()).isEqualTo(IndexStatus.ACTIVE);
        });
        assertThat(table.localSecondaryIndexes()).singleElement().satisfies(index -> {
            assertThat(index.indexName()).isEqualTo("bySk");
            assertThat(index.keySchema()).extracting(k -> k.attributeName()).containsExactly("pk", "kind");
        });
        var ttl = dynamo.describeTimeToLive(b -> b.tableName("records")).timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo("expiresAt");
        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
    }

    @Test
    void aMessageReceivedMoreOftenThanTheRedrivePolicyAllowsMovesToTheDeadLetterQueue() throws Exception {
        String work = sqs.getQueueUrl(b -> b.queueName("work")).queueUrl();
        String dlq = sqs.getQueueUrl(b -> b.queueName("work-dlq")).queueUrl();
        JsonNode redrive = new ObjectMapper().readTree(sqs.getQueueAttributes(b -> b.queueUrl(work)
                .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.path("deadLetterTargetArn").asText()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:work-dlq");
        assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(2);

        sqs.sendMessage(b -> b.queueUrl(work).messageBody("poison"));
        // visibility timeout 0: every receive hands the message out again, until the third moves it to the DLQ
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> deadLetters = List.of();
        while (deadLetters.isEmpty()) {
            assertThat(System.nanoTime()).as("message reached the dead-letter queue in time").isLessThan(deadline);
            sqs.receiveMessage(b -> b.queueUrl(work).waitTimeSeconds(0));
            deadLetters = sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(0)).messages().stream()
                    .map(m -> m.body()).toList();
        }
        assertThat(deadLetters).containsExactly("poison");
    }

    @Test
    void createsFifoQueuesWithTheirAttributes() {
        String url = sqs.getQueueUrl(b -> b.queueName("orders.fifo")).queueUrl();
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.ALL)).attributes();

        assertThat(attributes).containsEntry(QueueAttributeName.FIFO_QUEUE, "true")
                .containsEntry(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true");
    }

    @Test
    void createsBucketsWhetherOrNotTheEmulatorTakesCorsRules() {
        s3.putObject(b -> b.bucket("uploads").key("a.txt"), RequestBody.fromString("a"));

        assertThat(s3.listObjectsV2(b -> b.bucket("uploads")).contents()).extracting(o -> o.key()).containsExactly("a.txt");
    }

    @Test
    void createsTheKafkaTopicsThatAreMissingOnly() throws Exception {
        assertThat(kafka.listTopics().names().get(30, TimeUnit.SECONDS)).contains("events");
        assertThat(topicsCreatedFirst).containsExactly("events");
        assertThat(topicsCreatedAgain).isEmpty();
    }
}
