package dev.blocks.kit.identity;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** API keys in DynamoDB, keyed by the SHA-256 of the secret; the secret itself is never stored. */
@ApplicationScoped
public class ApiKeyStore {

    /** A stored key: its public id, owner, and whether it was revoked. */
    public record StoredKey(String keyId, String owner, boolean revoked) {}

    /** A newly issued key; {@code secret} is shown once and never again. */
    public record IssuedKey(String keyId, String owner, String secret) {}

    private final DynamoDbClient dynamo;
    private final String table;

    ApiKeyStore(DynamoDbClient dynamo, IdentityConfig config) {
        this.dynamo = dynamo;
        this.table = config.apiKeysTable();
    }

    public IssuedKey issue(String owner) {
        return importKey(owner, ApiKeySecret.generate());
    }

    /** Stores a key whose secret the caller chose (local seeding); refuses a secret that is already stored. */
    public IssuedKey importKey(String owner, String secret) {
        if (!ApiKeySecret.wellFormed(secret)) {
            throw new IllegalArgumentException("an API key has 20 to 128 printable characters");
        }
        String keyId = "key_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(
                            "keyHash", AttributeValue.fromS(ApiKeySecret.hash(secret)),
                            "keyId", AttributeValue.fromS(keyId),
                            "owner", AttributeValue.fromS(owner),
                            "createdAt", AttributeValue.fromS(Instant.now().toString()),
                            "revoked", AttributeValue.fromBool(false)))
                    .conditionExpression("attribute_not_exists(keyHash)"));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalArgumentException("that key is already registered");
        }
        return new IssuedKey(keyId, owner, secret);
    }

    public Optional<StoredKey> find(String secret) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("keyHash", AttributeValue.fromS(ApiKeySecret.hash(secret))))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue revoked = item.get("revoked");
        return Optional.of(new StoredKey(item.get("keyId").s(), item.get("owner").s(),
                revoked != null && Boolean.TRUE.equals(revoked.bool())));
    }

    /** Revokes by secret (the only handle the store can find a key by without a scan). */
    public boolean revoke(String secret) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("keyHash", AttributeValue.fromS(ApiKeySecret.hash(secret))))
                    .updateExpression("SET revoked = :t")
                    .conditionExpression("attribute_exists(keyHash)")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
