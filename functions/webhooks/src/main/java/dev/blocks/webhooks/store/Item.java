package dev.blocks.webhooks.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A DynamoDB item being read or built: typed access to its attributes, absent ones as null. */
final class Item {

    private final Map<String, AttributeValue> values;

    private Item(Map<String, AttributeValue> values) {
        this.values = values;
    }

    static Item of(Map<String, AttributeValue> values) {
        return new Item(values);
    }

    static Item create() {
        return new Item(new HashMap<>());
    }

    Map<String, AttributeValue> values() {
        return values;
    }

    Item put(String name, String value) {
        if (value != null) {
            values.put(name, AttributeValue.fromS(value));
        }
        return this;
    }

    Item put(String name, long value) {
        values.put(name, AttributeValue.fromN(Long.toString(value)));
        return this;
    }

    Item put(String name, boolean value) {
        values.put(name, AttributeValue.fromBool(value));
        return this;
    }

    Item put(String name, Instant value) {
        return value == null ? this : put(name, value.toString());
    }

    Item put(String name, List<String> value) {
        values.put(name, AttributeValue.fromL(value.stream().map(AttributeValue::fromS).toList()));
        return this;
    }

    String string(String name) {
        AttributeValue v = values.get(name);
        return v == null ? null : v.s();
    }

    long number(String name, long absent) {
        AttributeValue v = values.get(name);
        return v == null || v.n() == null ? absent : Long.parseLong(v.n());
    }

    boolean bool(String name) {
        AttributeValue v = values.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    Instant instant(String name) {
        String s = string(name);
        return s == null ? null : Instant.parse(s);
    }

    List<String> strings(String name) {
        AttributeValue v = values.get(name);
        List<String> out = new ArrayList<>();
        if (v != null && v.hasL()) {
            v.l().forEach(e -> out.add(e.s()));
        }
        return out;
    }

    List<Map<String, AttributeValue>> maps(String name) {
        AttributeValue v = values.get(name);
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        if (v != null && v.hasL()) {
            v.l().forEach(e -> out.add(e.m()));
        }
        return out;
    }
}
