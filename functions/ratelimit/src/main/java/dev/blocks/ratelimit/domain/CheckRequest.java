package dev.blocks.ratelimit.domain;

import dev.blocks.kit.validation.FieldError;
import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.kit.ratelimit.RuleJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /v1/ratelimit/check}: {@code rule} (a rule id), {@code key} (the caller's key: whose
 * counter to use) and {@code cost} (units, default 1), read from the generic tree a JSON library produces so that
 * every problem comes back as a field error.
 */
public record CheckRequest(String rule, String key, long cost) {

    /** Longest key accepted; only its digest reaches Redis, the bound keeps requests small. */
    public static final int MAX_KEY_LENGTH = 512;

    private static final Set<String> FIELDS = Set.of("rule", "key", "cost");

    /** The body cannot be used; {@link #errors()} names every field that is wrong. */
    public static final class Invalid extends IllegalArgumentException {
        private final List<FieldError> errors;

        Invalid(List<FieldError> errors) {
            super(errors.toString(), null);
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    public static CheckRequest read(Map<String, ?> json) {
        List<FieldError> errors = new ArrayList<>();
        for (String field : json.keySet()) {
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, "is not a field of a check (rule, key, cost)"));
            }
        }
        String rule = text(json, "rule", errors);
        String key = text(json, "key", errors);
        if (key != null && key.length() > MAX_KEY_LENGTH) {
            errors.add(new FieldError("key", "must be at most " + MAX_KEY_LENGTH + " characters"));
        }
        long cost = 1;
        Object rawCost = json.get("cost");
        if (rawCost != null) {
            Long whole = RuleJson.wholeNumber(rawCost);
            if (whole == null || whole < 1) {
                errors.add(new FieldError("cost", "must be a whole number of at least 1"));
            } else {
                cost = whole;
            }
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        return new CheckRequest(rule, key, cost);
    }

    /**
     * Why this request's cost can never pass {@code rule}, or empty when it can: a request costing more than the
     * rule ever holds (limit + burst) would be refused for ever, so it is a client error, not a 429.
     */
    public Optional<FieldError> costProblem(Rule rule) {
        if (cost <= rule.capacity()) {
            return Optional.empty();
        }
        String holds = rule.burst() > 0
                ? "limit + burst = " + rule.capacity()
                : "limit = " + rule.limit();
        return Optional.of(new FieldError("cost", "must not exceed what rule " + rule.id() + " ever admits at once ("
                + holds + ")"));
    }

    /**
     * The key whose counter this check uses. Per tenant unless the rule is {@code shared}: tenant A's {@code user-1}
     * and tenant B's {@code user-1} are two counters, so a tenant can neither spend another's budget nor learn
     * from it; a shared rule's key is one counter for everyone who names it. The forms cannot collide: each
     * starts with its own word, and an owner is length-prefixed, so no owner and key combine into another pair.
     *
     * @param owner the authenticated caller's owner; null when the check route takes anonymous callers, who then
     *     share one namespace of their own
     */
    public String counterKey(Rule rule, String owner) {
        if (rule.shared()) {
            return "shared:" + key;
        }
        if (owner == null) {
            return "anonymous:" + key;
        }
        return "owner:" + owner.length() + ":" + owner + ":" + key;
    }

    private static String text(Map<String, ?> json, String field, List<FieldError> errors) {
        Object value = json.get(field);
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!(value instanceof String s) || s.isEmpty()) {
            errors.add(new FieldError(field, "must be a non-empty string"));
            return null;
        }
        return s;
    }
}
