package dev.blocks.webhooks.store;

import dev.blocks.webhooks.domain.Endpoint;
import dev.blocks.webhooks.domain.SecretSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Endpoints by owner (partition key {@code owner}, sort key {@code id}): an owner's subscriptions are one
 * consistent Query, which is what every fan-out reads. Secrets are stored encrypted.
 */
public final class EndpointTable {

    /** The fields a PATCH may change; null leaves a field as it is. */
    public record Change(String url, List<String> events, String description, Boolean disabled, SecretSet secrets,
                         Instant previousUntil) {}

    /** Every attribute but {@code secrets} (placeholders, as some names are reserved words). */
    private static final Map<String, String> LISTED = listed("owner", "id", "url", "events", "description",
            "previousUntil", "disabled", "disabledReason", "failingSince", "createdAt", "updatedAt");

    private final DynamoDbClient dynamo;
    private final String table;
    private final SecretCipher cipher;

    public EndpointTable(DynamoDbClient dynamo, String table, SecretCipher cipher) {
        this.dynamo = dynamo;
        this.table = table;
        this.cipher = cipher;
    }

    public void create(Endpoint endpoint) {
        Item item = Item.create()
                .put("owner", endpoint.owner())
                .put("id", endpoint.id())
                .put("url", endpoint.url())
                .put("events", endpoint.events())
                .put("description", endpoint.description())
                .put("secrets", cipher.encrypt(endpoint.secrets(), context(endpoint.owner(), endpoint.id())))
                .put("disabled", endpoint.disabled())
                .put("createdAt", endpoint.createdAt())
                .put("updatedAt", endpoint.updatedAt());
        dynamo.putItem(b -> b.tableName(table).item(item.values()).conditionExpression("attribute_not_exists(id)"));
    }

    public Optional<Endpoint> find(String owner, String id) {
        Map<String, AttributeValue> values = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(owner, id))).item();
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(read(values));
    }

    /**
     * Every endpoint of {@code owner}, up to {@code limit}, WITHOUT its secrets ({@code secrets} is null): what
     * fan-out, the list route and the per-owner limit read, none of which signs anything, so listing decrypts
     * nothing (in AWS, no KMS call per endpoint).
     */
    public List<Endpoint> list(String owner, int limit) {
        List<Endpoint> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("#owner = :o")
                    .projectionExpression(String.join(", ", LISTED.keySet()))
                    .expressionAttributeNames(LISTED)
                    .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(owner)))
                    .exclusiveStartKey(from));
            page.items().forEach(i -> out.add(read(i, false)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && out.size() < limit);
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** Applies {@code change}; empty when the endpoint does not exist. */
    public Optional<Endpoint> update(String owner, String id, Change change, Instant now) {
        List<String> sets = new ArrayList<>(List.of("updatedAt = :now"));
        List<String> removes = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", AttributeValue.fromS(now.toString()));
        if (change.url() != null) {
            sets.add("#url = :url");
            names.put("#url", "url");
            values.put(":url", AttributeValue.fromS(change.url()));
        }
        if (change.events() != null) {
            sets.add("events = :events");
            values.put(":events", AttributeValue.fromL(change.events().stream().map(AttributeValue::fromS).toList()));
        }
        if (change.description() != null) {
            sets.add("description = :d");
            values.put(":d", AttributeValue.fromS(change.description()));
        }
        if (change.disabled() != null) {
            sets.add("disabled = :dis");
            values.put(":dis", AttributeValue.fromBool(change.disabled()));
            if (!change.disabled()) {
                // Re-enabled by its owner: a fresh start for the breaker and the 5-day rule.
                removes.add("disabledReason");
                removes.add("failingSince");
            }
        }
        if (change.secrets() != null) {
            sets.add("secrets = :sec");
            values.put(":sec", AttributeValue.fromS(cipher.encrypt(change.secrets(), context(owner, id))));
            if (change.previousUntil() != null) {
                sets.add("previousUntil = :pu");
                values.put(":pu", AttributeValue.fromS(change.previousUntil().toString()));
            }
        }
        String expression = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        try {
            Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(table).key(key(owner, id))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeNames(names.isEmpty() ? null : names)
                    .expressionAttributeValues(values)
                    .returnValues("ALL_NEW")).attributes();
            return Optional.of(read(after));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    public boolean delete(String owner, String id) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table).key(key(owner, id))
                .returnValues("ALL_OLD")).attributes();
        return old != null && !old.isEmpty();
    }

    /** Records a failure: returns when the endpoint started failing (this failure when it had not been). */
    public Optional<Instant> markFailing(String owner, String id, Instant now) {
        try {
            Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(table).key(key(owner, id))
                    .updateExpression("SET failingSince = if_not_exists(failingSince, :now)")
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now.toString())))
                    .returnValues("UPDATED_NEW")).attributes();
            return Optional.ofNullable(Item.of(after).instant("failingSince"));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    public void clearFailing(String owner, String id) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(owner, id))
                    .updateExpression("REMOVE failingSince")
                    .conditionExpression("attribute_exists(failingSince)"));
        } catch (ConditionalCheckFailedException e) {
            // Already clear.
        }
    }

    public void disable(String owner, String id, String reason, Instant now) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(owner, id))
                    .updateExpression("SET disabled = :t, disabledReason = :r, updatedAt = :now")
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true),
                            ":r", AttributeValue.fromS(reason), ":now", AttributeValue.fromS(now.toString()))));
        } catch (ConditionalCheckFailedException e) {
            // Deleted meanwhile: nothing left to disable.
        }
    }

    private Endpoint read(Map<String, AttributeValue> values) {
        return read(values, true);
    }

    private Endpoint read(Map<String, AttributeValue> values, boolean withSecrets) {
        Item item = Item.of(values);
        String owner = item.string("owner");
        String id = item.string("id");
        return new Endpoint(owner, id, item.string("url"), item.strings("events"), item.string("description"),
                withSecrets ? cipher.decrypt(item.string("secrets"), context(owner, id)) : null, item.instant("previousUntil"),
                item.bool("disabled"), item.string("disabledReason"), item.instant("failingSince"),
                item.instant("createdAt"), item.instant("updatedAt"));
    }

    private static Map<String, String> listed(String... names) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String name : names) {
            out.put("#" + name, name);
        }
        return Map.copyOf(out);
    }

    private static Map<String, AttributeValue> key(String owner, String id) {
        return Map.of("owner", AttributeValue.fromS(owner), "id", AttributeValue.fromS(id));
    }

    private static String context(String owner, String id) {
        return "endpoint/" + owner + "/" + id;
    }
}
