package dev.blocks.testfn;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Writes what a test role received into DynamoDB, where the foundation's tests read it back. */
@ApplicationScoped
class Records {

    private final DynamoDbClient dynamo;
    private final String table;

    Records(DynamoDbClient dynamo, @ConfigProperty(name = "testfn.records-table") String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    void put(String kind, String sk, Map<String, String> fields) {
        var item = new java.util.HashMap<String, AttributeValue>();
        item.put("pk", AttributeValue.fromS(kind));
        item.put("sk", AttributeValue.fromS(sk));
        item.put("kind", AttributeValue.fromS(kind));
        fields.forEach((k, v) -> item.put(k, AttributeValue.fromS(v)));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }
}
