package dev.blocks.ratelimit.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.ratelimit.InvalidRuleException;
import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.kit.ratelimit.RuleJson;
import dev.blocks.ratelimit.domain.RuleSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Managed rules in DynamoDB, one item per rule: {@code id} (partition key), {@code rule} (the rule's JSON as
 * {@link RuleJson} writes it), {@code updatedAt} and {@code updatedBy}. Every read is strongly consistent, so a
 * refresh sees every write that finished before it started. An item that no longer reads as a valid rule (written
 * by another version) is skipped with a warning, never served.
 */
public final class RuleTable implements RuleSource {

    private static final Logger LOG = Logger.getLogger(RuleTable.class);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final DynamoDbClient dynamo;
    private final String table;
    private final ObjectMapper json;

    public RuleTable(DynamoDbClient dynamo, String table, ObjectMapper json) {
        this.dynamo = dynamo;
        this.table = table;
        this.json = json;
    }

    /** Every valid rule: one paginated Scan (a rules table holds tens or hundreds of small items). */
    @Override
    public List<Rule> all() {
        List<Rule> rules = new ArrayList<>();
        ScanRequest scan = ScanRequest.builder().tableName(table).consistentRead(true)
                .projectionExpression("id, #r").expressionAttributeNames(Map.of("#r", "rule")).build();
        dynamo.scanPaginator(scan).items().forEach(item -> read(item).ifPresent(rules::add));
        return rules;
    }

    public Optional<Rule> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : read(item);
    }

    /** Writes the rule; true when it is new, false when it replaced one. */
    public boolean put(Rule rule, String updatedBy, Instant updatedAt) {
        PutItemResponse response = dynamo.putItem(b -> b.tableName(table)
                .item(Map.of(
                        "id", AttributeValue.fromS(rule.id()),
                        "rule", AttributeValue.fromS(write(rule)),
                        "updatedAt", AttributeValue.fromS(updatedAt.toString()),
                        "updatedBy", AttributeValue.fromS(updatedBy)))
                .returnValues(ReturnValue.ALL_OLD));
        return !response.hasAttributes() || response.attributes().isEmpty();
    }

    /** Deletes the rule; false when there was none. */
    public boolean delete(String id) {
        DeleteItemResponse response = dynamo.deleteItem(b -> b.tableName(table)
                .key(Map.of("id", AttributeValue.fromS(id))).returnValues(ReturnValue.ALL_OLD));
        return response.hasAttributes() && !response.attributes().isEmpty();
    }

    private Optional<Rule> read(Map<String, AttributeValue> item) {
        AttributeValue id = item.get("id");
        AttributeValue text = item.get("rule");
        if (id == null || id.s() == null || text == null || text.s() == null) {
            LOG.warnf("rules table %s: item %s is not a rule; skipped", table, id == null ? "?" : id.s());
            return Optional.empty();
        }
        try {
            Map<String, Object> fields = json.readValue(text.s(), OBJECT);
            fields.put("id", id.s());
            return Optional.of(RuleJson.read(fields));
        } catch (JsonProcessingException | InvalidRuleException e) {
            LOG.warnf("rules table %s: rule %s does not read as a rule (%s); skipped", table, id.s(), e.getMessage());
            return Optional.empty();
        }
    }

    private String write(Rule rule) {
        try {
            return json.writeValueAsString(RuleJson.write(rule));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a rule's JSON is plain strings, numbers and lists", e);
        }
    }
}
