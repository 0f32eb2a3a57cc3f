package dev.blocks.webhooks.store;

import dev.blocks.webhooks.domain.Destination;
import dev.blocks.webhooks.domain.HmacOptions;
import dev.blocks.webhooks.domain.Scheme;
import dev.blocks.webhooks.domain.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Inbound sources by owner (partition key {@code owner}, sort key {@code name}): every management call names its
 * owner in the key, so one owner's call can never read or write another's source, and two owners may both have
 * {@code acme}. The receive path finds a source by its random receive id through the index {@code receive-id}
 * (projection ALL). Secrets are stored encrypted, bound to {@code source/<owner>/<name>}, never in the clear.
 */
public final class SourceTable {

    /** The index on the receive id (attribute {@code id}); index names have at least 3 characters. */
    static final String ID_INDEX = "receive-id";

    /** A source as a list shows it: no secrets, so listing costs no decryption. */
    public record Summary(String id, String name, Scheme scheme, Destination destination, Instant updatedAt) {}

    /** The source as stored (with its receive id) and whether this put created it. */
    public record Put(Source source, boolean created) {}

    private static final List<String> HMAC_ATTRIBUTES = List.of("hmacHeader", "hmacAlgorithm", "hmacEncoding", "hmacPrefix",
            "hmacIdHeader");

    private final DynamoDbClient dynamo;
    private final String table;
    private final SecretCipher cipher;

    public SourceTable(DynamoDbClient dynamo, String table, SecretCipher cipher) {
        this.dynamo = dynamo;
        this.table = table;
        this.cipher = cipher;
    }

    /**
     * Creates or replaces the caller's source {@code source.name()} in one write. A replaced source keeps its
     * receive id (senders keep their URL); a new one gets {@code newId}.
     */
    public Put put(Source source, String newId) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        names.put("#id", "id");
        values.put(":id", AttributeValue.fromS(newId));
        sets.add("#id = if_not_exists(#id, :id)");
        Map<String, AttributeValue> fields = Item.create()
                .put("scheme", source.scheme().wire())
                .put("secrets", cipher.encrypt(source.secrets(), context(source.owner(), source.name())))
                .put("toleranceSeconds", source.tolerance().toSeconds())
                .put("destinationKind", source.destination().kind().name())
                .put("destinationName", source.destination().name())
                .put("updatedAt", source.updatedAt())
                .values();
        Map<String, AttributeValue> hmac = source.hmac() == null ? Map.of() : Item.create()
                .put("hmacHeader", source.hmac().header()).put("hmacAlgorithm", source.hmac().algorithm())
                .put("hmacEncoding", source.hmac().encoding()).put("hmacPrefix", source.hmac().prefix())
                .put("hmacIdHeader", source.hmac().idHeader()).values();
        Map<String, AttributeValue> all = new HashMap<>(fields);
        all.putAll(hmac);
        all.forEach((name, value) -> {
            names.put("#" + name, name);
            values.put(":" + name, value);
            sets.add("#" + name + " = :" + name);
        });
        // A replacement without HMAC options (or without an id header) must not keep the old ones.
        for (String name : HMAC_ATTRIBUTES) {
            if (!hmac.containsKey(name)) {
                names.put("#" + name, name);
                removes.add("#" + name);
            }
        }
        String expression = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        Map<String, AttributeValue> old = dynamo.updateItem(b -> b.tableName(table).key(key(source.owner(), source.name()))
                .updateExpression(expression).expressionAttributeNames(names).expressionAttributeValues(values)
                .returnValues("ALL_OLD")).attributes();
        boolean created = old == null || old.isEmpty() || !old.containsKey("id");
        return new Put(source.withId(created ? newId : old.get("id").s()), created);
    }

    /** The caller's source {@code name}. */
    public Optional<Source> find(String owner, String name) {
        Map<String, AttributeValue> values = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(owner, name))).item();
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(read(values));
    }

    /**
     * The source whose receive id is {@code id}, for the public receive path. The index is eventually consistent:
     * in AWS a source created a moment ago may be unknown here for that moment (not cached, so the next request
     * finds it).
     */
    public Optional<Source> findById(String id) {
        QueryResponse response = dynamo.query(b -> b.tableName(table).indexName(ID_INDEX)
                .keyConditionExpression("#id = :id")
                .expressionAttributeNames(Map.of("#id", "id"))
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(id))));
        return response.items().stream().findFirst().map(this::read);
    }

    /** The sources of {@code owner}, by name, up to {@code limit}. */
    public List<Summary> list(String owner, int limit) {
        List<Summary> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("#o = :o")
                    .projectionExpression("#id, #n, scheme, destinationKind, destinationName, updatedAt")
                    .expressionAttributeNames(Map.of("#o", "owner", "#id", "id", "#n", "name"))
                    .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(owner)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> values : page.items()) {
                Item item = Item.of(values);
                out.add(new Summary(item.string("id"), item.string("name"), Scheme.parse(item.string("scheme")).orElseThrow(),
                        destination(item), item.instant("updatedAt")));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && out.size() < limit);
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** Deletes the caller's source {@code name}; returns its receive id, empty when there was none. */
    public Optional<String> delete(String owner, String name) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table).key(key(owner, name))
                .returnValues("ALL_OLD")).attributes();
        return old == null || old.isEmpty() ? Optional.empty() : Optional.ofNullable(Item.of(old).string("id"));
    }

    private Source read(Map<String, AttributeValue> values) {
        Item item = Item.of(values);
        String owner = item.string("owner");
        String name = item.string("name");
        Scheme scheme = Scheme.parse(item.string("scheme")).orElseThrow();
        HmacOptions hmac = item.string("hmacHeader") == null ? null : new HmacOptions(item.string("hmacHeader"),
                item.string("hmacAlgorithm"), item.string("hmacEncoding"),
                item.string("hmacPrefix") == null ? "" : item.string("hmacPrefix"), item.string("hmacIdHeader"));
        return new Source(item.string("id"), name, owner, scheme, cipher.decrypt(item.string("secrets"), context(owner, name)),
                Duration.ofSeconds(item.number("toleranceSeconds", 300)), destination(item), hmac, item.instant("updatedAt"));
    }

    private static Destination destination(Item item) {
        return new Destination(Destination.Kind.valueOf(item.string("destinationKind")), item.string("destinationName"));
    }

    private static Map<String, AttributeValue> key(String owner, String name) {
        return Map.of("owner", AttributeValue.fromS(owner), "name", AttributeValue.fromS(name));
    }

    private static String context(String owner, String name) {
        return "source/" + owner + "/" + name;
    }
}
