package dev.blocks.kit.ratelimit;

import dev.blocks.kit.validation.FieldError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rule as JSON, read from and written to the generic tree a JSON library produces ({@code Map}, {@code List},
 * {@code String}, {@code Number}, {@code Boolean}, null), so that every problem, wrong types and unknown fields
 * included, comes back as a field-level error instead of a parse exception.
 */
public final class RuleJson {

    private static final Set<String> FIELDS = Set.of("id", "tier", "algorithm", "limit", "windowSeconds", "burst",
            "keyBy", "route", "failMode", "shadow", "shared");

    private RuleJson() {}

    /**
     * Reads a rule; throws {@link InvalidRuleException} listing every invalid field.
     *
     * @param json the rule's fields; an admin API puts the id from its path under {@code "id"}
     */
    public static Rule read(Map<String, ?> json) {
        Reader in = new Reader(json);
        for (String field : json.keySet()) {
            if (!FIELDS.contains(field)) {
                in.errors.add(new FieldError(field, "is not a rule field"));
            }
        }
        String id = in.string("id", true);
        String tier = in.string("tier", false);
        String algorithmName = in.string("algorithm", true);
        Algorithm algorithm = null;
        if (algorithmName != null) {
            algorithm = Algorithm.fromJson(algorithmName).orElse(null);
            if (algorithm == null) {
                in.errors.add(new FieldError("algorithm",
                        "must be one of token_bucket, sliding_window, fixed_window, sliding_log, gcra"));
            }
        }
        Long limit = in.integer("limit", true);
        Long windowSeconds = in.integer("windowSeconds", true);
        Long burst = in.integer("burst", false);
        List<KeyPart> keyBy = in.keyBy();
        String route = in.string("route", false);
        FailMode failMode = FailMode.OPEN;
        String failModeName = in.string("failMode", false);
        if (failModeName != null) {
            failMode = FailMode.fromJson(failModeName).orElse(null);
            if (failMode == null) {
                in.errors.add(new FieldError("failMode", "must be \"open\" or \"closed\""));
            }
        }
        Boolean shadow = in.bool("shadow");
        Boolean shared = in.bool("shared");
        if (!in.errors.isEmpty()) {
            // Range checks still run on the fields that parsed, so one round of fixes is enough.
            List<FieldError> errors = new ArrayList<>(in.errors);
            List<String> bad = errors.stream().map(FieldError::field).toList();
            Rule.problems(id, tier, algorithm, limit == null ? 1 : limit, windowSeconds == null ? 1 : windowSeconds,
                    burst == null ? 0 : burst, keyBy, route).stream()
                    .filter(e -> !bad.contains(e.field()))
                    .forEach(errors::add);
            throw new InvalidRuleException(errors);
        }
        return new Rule(id, tier, algorithm, limit, windowSeconds, burst == null ? 0 : burst, keyBy, route, failMode,
                shadow != null && shadow, shared != null && shared);
    }

    /** The rule's JSON fields, in the documented order; optional fields that are unset are left out. */
    public static Map<String, Object> write(Rule rule) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", rule.id());
        if (rule.tier() != null) {
            json.put("tier", rule.tier());
        }
        json.put("algorithm", rule.algorithm().jsonName());
        json.put("limit", rule.limit());
        json.put("windowSeconds", rule.windowSeconds());
        json.put("burst", rule.burst());
        json.put("keyBy", rule.keyBy().stream().map(KeyPart::jsonName).toList());
        if (rule.route() != null) {
            json.put("route", rule.route());
        }
        json.put("failMode", rule.failMode().jsonName());
        json.put("shadow", rule.shadow());
        json.put("shared", rule.shared());
        return json;
    }

    /**
     * A JSON number as the whole number it is, or null when it is not one (a fraction, out of range, not a
     * number): {@code 100}, {@code 100.0} and {@code 1e2} are all 100.
     */
    public static Long wholeNumber(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            if (value instanceof BigInteger big) {
                return big.longValueExact();
            }
            if (value instanceof BigDecimal || value instanceof Double || value instanceof Float) {
                return new BigDecimal(value.toString()).longValueExact();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static final class Reader {
        final Map<String, ?> json;
        final List<FieldError> errors = new ArrayList<>();

        Reader(Map<String, ?> json) {
            this.json = json;
        }

        String string(String field, boolean required) {
            Object value = json.get(field);
            if (value == null) {
                if (required) {
                    errors.add(new FieldError(field, "is required"));
                }
                return null;
            }
            if (value instanceof String s) {
                return s;
            }
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }

        Long integer(String field, boolean required) {
            Object value = json.get(field);
            if (value == null) {
                if (required) {
                    errors.add(new FieldError(field, "is required"));
                }
                return null;
            }
            Long whole = wholeNumber(value);
            if (whole == null) {
                errors.add(new FieldError(field, "must be a whole number"));
            }
            return whole;
        }

        Boolean bool(String field) {
            Object value = json.get(field);
            if (value == null || value instanceof Boolean) {
                return (Boolean) value;
            }
            errors.add(new FieldError(field, "must be true or false"));
            return null;
        }

        List<KeyPart> keyBy() {
            Object value = json.get("keyBy");
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> names)) {
                errors.add(new FieldError("keyBy", "must be an array of \"apiKey\", \"ip\", \"user\", \"route\""));
                return List.of();
            }
            List<KeyPart> parts = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                Object name = names.get(i);
                KeyPart part = name instanceof String s ? KeyPart.fromJson(s).orElse(null) : null;
                if (part == null) {
                    errors.add(new FieldError("keyBy[" + i + "]", "must be \"apiKey\", \"ip\", \"user\" or \"route\""));
                } else {
                    parts.add(part);
                }
            }
            return parts;
        }
    }
}
