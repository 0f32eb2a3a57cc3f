package dev.blocks.localcloud.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

@ExtendWith(SharedEmulators.class)
class DynamoDbLocalEmulatorTest {

    @Test
    void conditionalPutRefusesADuplicateKeyAndItemsSurviveARestart(Emulators emulators) throws Exception {
        DynamoDbLocalEmulator emulator = emulators.dynamoDb();
        String table = "links-" + UUID.randomUUID();
        try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(emulator)) {
            dynamoDb.createTable(request -> request.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(definition -> definition.attributeName("code").attributeType(ScalarAttributeType.S))
                    .keySchema(key -> key.attributeName("code").keyType(KeyType.HASH)));
            Map<String, AttributeValue> link = Map.of(
                    "code", AttributeValue.fromS("abc123"), "url", AttributeValue.fromS("https://example.org/"));

            dynamoDb.putItem(request -> request.tableName(table).item(link)
                    .conditionExpression("attribute_not_exists(code)"));
            assertThatThrownBy(() -> dynamoDb.putItem(request -> request.tableName(table)
                    .item(Map.of("code", AttributeValue.fromS("abc123"), "url", AttributeValue.fromS("https://other/")))
                    .conditionExpression("attribute_not_exists(code)")))
                    .isInstanceOf(ConditionalCheckFailedException.class);

            String endpoint = emulator.endpoint();
            emulator.stop();
            emulator.stop();
            assertThat(emulator.running()).isFalse();
            assertThat(Ports.free(emulator.port())).isTrue();
            emulator.start();

            assertThat(emulator.endpoint()).isEqualTo(endpoint);
            assertThat(dynamoDb.getItem(request -> request.tableName(table)
                    .key(Map.of("code", AttributeValue.fromS("abc123")))).item()).isEqualTo(link);
        }
    }

    @Test
    void closeDeletesTheTables() throws Exception {
        DynamoDbLocalEmulator emulator = new DynamoDbLocalEmulator();
        try {
            emulator.start();
            Path data = emulator.dataDirectory();
            assertThat(data).isDirectory();

            emulator.close();

            assertThat(Files.exists(data)).isFalse();
            assertThat(emulator.running()).isFalse();
            assertThat(Ports.free(emulator.port())).isTrue();
        } finally {
            emulator.close();
        }
    }
}
