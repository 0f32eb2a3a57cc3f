package dev.blocks.kit.idempotency;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * First-writer-wins records: {@link #claim} stores a value under a key unless one is there, in ONE conditional
 * put that also returns the existing record when it loses (no second read). Used wherever at-least-once delivery
 * must not repeat a side effect: webhook event ids, client idempotency keys, job runs.
 */
@ApplicationScoped
public class IdempotencyStore {

    /** The outcome of a claim: {@code first} when this caller won; {@code value} is the winner's value. */
    public record Claim(boolean first, String value) {}

    private final DynamoDbClient dynamo;
    private final String table;

    IdempotencyStore(DynamoDbClient dynamo, IdempotencyConfig config) {
        this.dynamo = dynamo;
        this.table = config.table();
    }

    public Claim claim(String scope, String key, String value, Duration ttl) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", AttributeValue.fromS(scope + "#" + key));
        item.put("value", AttributeValue.fromS(value));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(Instant.now().plus(ttl).getEpochSecond())));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    // An expired record that TTL has not yet deleted counts as absent.
                    .conditionExpression("attribute_not_exists(id) OR expiresAt < :now")
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond()))))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Claim(true, value);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.item();
            if (old != null && old.containsKey("value")) {
                return new Claim(false, old.get("value").s());
            }
            return new Claim(false, find(scope, key).orElse(null));
        }
    }

    public Optional<String> find(String scope, String key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(scope + "#" + key)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue expires = item.get("expiresAt");
        if (expires != null && Long.parseLong(expires.n()) < Instant.now().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.ofNullable(item.get("value")).map(AttributeValue::s);
    }

    /** Replaces the value of a record this caller claimed (e.g. a result once known). */
    public void update(String scope, String key, String value) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(Map.of("id", AttributeValue.fromS(scope + "#" + key)))
                .updateExpression("SET #v = :v")
                .expressionAttributeNames(Map.of("#v", "value"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value))));
    }

    /** Forgets a claim, so that a failed first attempt can be retried under the same key. */
    public void release(String scope, String key) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(scope + "#" + key))));
    }
}
