package dev.blocks.kit.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.kit.validation.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields a request body may have, declared once per route. A name the route does not know is refused with a
 * 400 naming it, as Stripe does: a misspelt or misplaced option ({@code "header"} beside {@code "hmac"} rather than
 * inside it) would otherwise be ignored and its default used without anyone noticing.
 *
 * <p>Only the names are checked here; the handler still checks each value's type and range. A nested shape applies
 * to an object value, or to every object of an array value; an open field ({@link #open}) holds the caller's own
 * data (a payload, headers) and is not looked into. Immutable: each method answers a new shape.
 */
public final class KnownFields {

    // A body of thousands of long unknown names must not make an answer as large as itself.
    private static final int MAX_REPORTED = 20;
    private static final int MAX_NAME = 100;

    private final Set<String> names;
    private final Map<String, KnownFields> nested;
    private final Set<String> open;

    private KnownFields(Set<String> names, Map<String, KnownFields> nested, Set<String> open) {
        this.names = names;
        this.nested = nested;
        this.open = open;
    }

    /** An object with exactly these fields allowed (each optional: presence is the handler's concern). */
    public static KnownFields of(String... names) {
        return new KnownFields(Set.copyOf(List.of(names)), Map.of(), Set.of());
    }

    /** Also allows {@code name}, whose object value (or each object of its array value) has {@code shape}. */
    public KnownFields with(String name, KnownFields shape) {
        Set<String> allowed = new LinkedHashSet<>(names);
        allowed.add(name);
        Map<String, KnownFields> inner = new LinkedHashMap<>(nested);
        inner.put(name, shape);
        return new KnownFields(Set.copyOf(allowed), Map.copyOf(inner), open);
    }

    /** Also allows these fields, whose values are the caller's own and may hold any names. */
    public KnownFields open(String... names) {
        Set<String> allowed = new LinkedHashSet<>(this.names);
        Set<String> free = new LinkedHashSet<>(open);
        for (String name : names) {
            allowed.add(name);
            free.add(name);
        }
        return new KnownFields(Set.copyOf(allowed), nested, Set.copyOf(free));
    }

    /** Every unknown field of {@code body}, as {@code a.b} or {@code a[2].b}, in document order. */
    public List<FieldError> unknown(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        collect(body, "", errors);
        return errors;
    }

    /** Throws a 400 problem listing every unknown field of {@code body}; does nothing when there is none. */
    public void check(JsonNode body) {
        List<FieldError> errors = unknown(body);
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
    }

    private void collect(JsonNode node, String path, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            return; // a value of the wrong type is the handler's 400, with the message that fits it
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String where = path.isEmpty() ? name : path + "." + name;
            if (!names.contains(name)) {
                if (errors.size() < MAX_REPORTED) {
                    errors.add(new FieldError(shortened(where), "unknown field"));
                }
                continue;
            }
            KnownFields shape = nested.get(name);
            if (shape == null || open.contains(name)) {
                continue;
            }
            JsonNode value = field.getValue();
            if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    shape.collect(value.get(i), where + "[" + i + "]", errors);
                }
            } else {
                shape.collect(value, where, errors);
            }
        }
    }

    private static String shortened(String path) {
        return path.length() <= MAX_NAME ? path : path.substring(0, MAX_NAME) + "…";
    }
}
