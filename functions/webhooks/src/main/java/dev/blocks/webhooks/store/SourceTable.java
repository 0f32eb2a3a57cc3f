package dev.blocks.webhooks.store;

import dev.blocks.webhooks.domain.Destination;
import dev.blocks.webhooks.domain.HmacOptions;
import dev.blocks.webhooks.domain.Scheme;
import dev.blocks.webhooks.domain.Source;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Inbound sources by name (partition key {@code source}); secrets are stored encrypted, never in the clear. */
public final class SourceTable {

    /** A source name is taken by another owner. */
    public static final class Taken extends Exception {
        Taken(String name) {
            super("source " + name + " belongs to another owner", null, false, false);
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final SecretCipher cipher;

    public SourceTable(DynamoDbClient dynamo, String table, SecretCipher cipher) {
        this.dynamo = dynamo;
        this.table = table;
        this.cipher = cipher;
    }

    /** Creates or replaces {@code source}; only its owner may replace it. Returns whether it was new. */
    public boolean put(Source source) throws Taken {
        Item item = Item.create()
                .put("source", source.name())
                .put("owner", source.owner())
                .put("scheme", source.scheme().wire())
                .put("secrets", cipher.encrypt(source.secrets(), context(source.name())))
                .put("toleranceSeconds", source.tolerance().toSeconds())
                .put("destinationKind", source.destination().kind().name())
                .put("destinationName", source.destination().name())
                .put("updatedAt", source.updatedAt());
        if (source.hmac() != null) {
            item.put("hmacHeader", source.hmac().header()).put("hmacAlgorithm", source.hmac().algorithm())
                    .put("hmacEncoding", source.hmac().encoding()).put("hmacPrefix", source.hmac().prefix())
                    .put("hmacIdHeader", source.hmac().idHeader());
        }
        try {
            Map<String, AttributeValue> old = dynamo.putItem(b -> b.tableName(table).item(item.values())
                    .conditionExpression("attribute_not_exists(#s) OR #o = :owner")
                    .expressionAttributeNames(Map.of("#s", "source", "#o", "owner"))
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(source.owner())))
                    .returnValues("ALL_OLD")).attributes();
            return old == null || old.isEmpty();
        } catch (ConditionalCheckFailedException e) {
            throw new Taken(source.name());
        }
    }

    public Optional<Source> find(String name) {
        Map<String, AttributeValue> values = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("source", AttributeValue.fromS(name)))).item();
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        Item item = Item.of(values);
        Scheme scheme = Scheme.parse(item.string("scheme")).orElseThrow();
        HmacOptions hmac = item.string("hmacHeader") == null ? null : new HmacOptions(item.string("hmacHeader"),
                item.string("hmacAlgorithm"), item.string("hmacEncoding"),
                item.string("hmacPrefix") == null ? "" : item.string("hmacPrefix"), item.string("hmacIdHeader"));
        return Optional.of(new Source(name, item.string("owner"), scheme,
                cipher.decrypt(item.string("secrets"), context(name)),
                Duration.ofSeconds(item.number("toleranceSeconds", 300)),
                new Destination(Destination.Kind.valueOf(item.string("destinationKind")), item.string("destinationName")),
                hmac, item.instant("updatedAt")));
    }

    private static String context(String name) {
        return "source/" + name;
    }
}
