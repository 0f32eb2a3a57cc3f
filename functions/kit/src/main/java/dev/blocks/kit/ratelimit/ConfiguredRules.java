package dev.blocks.kit.ratelimit;

import dev.blocks.kit.validation.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules from configuration: a JSON array of rule objects, read into rules or refused as a whole with every
 * problem named ({@code rules[1].limit: ...}), so that a deployment with one bad rule fails at start instead of
 * running without it.
 */
public final class ConfiguredRules {

    /** The configuration cannot be used; the message lists every problem. */
    public static final class Invalid extends IllegalArgumentException {
        Invalid(List<String> problems) {
            super("invalid rate-limit rules in configuration: " + String.join("; ", problems));
        }
    }

    private ConfiguredRules() {}

    /**
     * @param json the configuration as a JSON library reads it: a {@code List} of {@code Map}s
     */
    public static List<Rule> read(Object json) {
        if (!(json instanceof List<?> array)) {
            throw new Invalid(List.of("rules: must be a JSON array of rule objects"));
        }
        List<String> problems = new ArrayList<>();
        List<Rule> rules = new ArrayList<>(array.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String at = "rules[" + i + "]";
            if (!(array.get(i) instanceof Map<?, ?> object) || !object.keySet().stream().allMatch(String.class::isInstance)) {
                problems.add(at + ": must be a rule object");
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> fields = (Map<String, ?>) object;
            try {
                Rule rule = RuleJson.read(fields);
                if (!ids.add(rule.id())) {
                    problems.add(at + ".id: " + rule.id() + " is used by an earlier rule");
                }
                rules.add(rule);
            } catch (InvalidRuleException e) {
                for (FieldError error : e.errors()) {
                    problems.add(at + "." + error.field() + ": " + error.message());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return List.copyOf(rules);
    }
}
