package dev.blocks.localcloud.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.localcloud.emulators.Emulators;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The counting front before a real DynamoDB Local: answers pass through unchanged, requests are counted. */
class DynamoDbFrontTest {

    private static Emulators emulators;
    private static LoopbackServer server;
    private static DynamoDbFront front;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() throws Exception {
        emulators = Emulators.start(List.of(Emulators.DYNAMODB), Path.of("target", "emulator-logs"));
        server = new LoopbackServer("dynamodb-front", 0);
        front = DynamoDbFront.serve(server, emulators.dynamoDb().endpoint());
        server.start();
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(server.url())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        if (dynamo != null) {
            dynamo.close();
        }
        if (server != null) {
            server.close();
        }
        if (emulators != null) {
            emulators.close();
        }
    }

    @Test
    void forwardsEveryRequestUnchangedAndCountsItByTableAndOperation() {
        dynamo.createTable(b -> b.tableName("front-items").billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("id").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S)));
        dynamo.putItem(b -> b.tableName("front-items").item(Map.of("id", AttributeValue.fromS("a"),
                "text", AttributeValue.fromS("ünïcode ✓"))));
        for (int i = 0; i < 3; i++) {
            // The SDK checks the answer's CRC32 header against its body: a changed body would fail here.
            assertThat(dynamo.getItem(b -> b.tableName("front-items").key(Map.of("id", AttributeValue.fromS("a"))))
                    .item().get("text").s()).isEqualTo("ünïcode ✓");
        }
        assertThat(dynamo.getItem(b -> b.tableName("front-items").key(Map.of("id", AttributeValue.fromS("none"))))
                .hasItem()).isFalse();
        assertThat(dynamo.batchGetItem(b -> b.requestItems(Map.of("front-items", KeysAndAttributes.builder()
                .keys(Map.of("id", AttributeValue.fromS("a"))).build()))).responses().get("front-items")).hasSize(1);
        assertThat(dynamo.listTables().tableNames()).contains("front-items");

        Map<String, Map<String, Long>> counts = front.counts();
        assertThat(counts.get("front-items")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "CreateTable", 1L, "PutItem", 1L, "GetItem", 4L, "BatchGetItem", 1L));
        assertThat(counts.get("-")).containsEntry("ListTables", 1L);
    }
}
