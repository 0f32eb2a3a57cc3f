package dev.blocks.kit.ratelimit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The rules in force, immutable; a refresh builds a new set and swaps it in. Rule ids are unique. */
public final class RuleSet {

    private static final RuleSet EMPTY = new RuleSet(List.of());

    private final List<Rule> rules;

    private RuleSet(List<Rule> rules) {
        this.rules = rules;
    }

    public static RuleSet of(Collection<Rule> rules) {
        Set<String> ids = new HashSet<>();
        for (Rule rule : rules) {
            if (!ids.add(rule.id())) {
                throw new IllegalArgumentException("two rules have the id " + rule.id());
            }
        }
        return new RuleSet(List.copyOf(rules));
    }

    public static RuleSet of(Rule... rules) {
        return of(List.of(rules));
    }

    public static RuleSet empty() {
        return EMPTY;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rules that count this request, in the set's order. */
    public List<Rule> matching(LimitRequest request) {
        List<Rule> matching = new ArrayList<>(rules.size());
        for (Rule rule : rules) {
            if (rule.appliesTo(request)) {
                matching.add(rule);
            }
        }
        return matching;
    }

    @Override
    public String toString() {
        return "RuleSet" + rules.stream().map(Rule::id).toList();
    }
}
