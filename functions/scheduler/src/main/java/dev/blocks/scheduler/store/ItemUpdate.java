package dev.blocks.scheduler.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** An UpdateItem assembled clause by clause ({@code #name} placeholders, {@code :value} values). */
final class ItemUpdate {

    private final String table;
    private final Map<String, AttributeValue> key;
    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, AttributeValue> values = new HashMap<>();

    ItemUpdate(String table, Map<String, AttributeValue> key) {
        this.table = table;
        this.key = key;
    }

    ItemUpdate set(String clause) {
        sets.add(clause);
        return this;
    }

    ItemUpdate remove(String... names) {
        removes.addAll(List.of(names));
        return this;
    }

    ItemUpdate when(String condition) {
        conditions.add("(" + condition + ")");
        return this;
    }

    ItemUpdate value(String name, AttributeValue value) {
        values.put(name, value);
        return this;
    }

    private String expression() {
        StringBuilder out = new StringBuilder();
        if (!sets.isEmpty()) {
            out.append("SET ").append(String.join(", ", sets));
        }
        if (!removes.isEmpty()) {
            out.append(out.isEmpty() ? "" : " ").append("REMOVE ").append(String.join(", ", removes));
        }
        return out.toString();
    }

    private String condition() {
        return conditions.isEmpty() ? null : String.join(" AND ", conditions);
    }

    UpdateItemRequest request() {
        String expression = expression();
        String condition = condition();
        return UpdateItemRequest.builder().tableName(table).key(key).updateExpression(expression)
                .conditionExpression(condition).expressionAttributeNames(Names.of(expression, condition))
                .expressionAttributeValues(values.isEmpty() ? null : values).build();
    }

    Update transactional() {
        String expression = expression();
        String condition = condition();
        return Update.builder().tableName(table).key(key).updateExpression(expression)
                .conditionExpression(condition).expressionAttributeNames(Names.of(expression, condition))
                .expressionAttributeValues(values.isEmpty() ? null : values).build();
    }
}
