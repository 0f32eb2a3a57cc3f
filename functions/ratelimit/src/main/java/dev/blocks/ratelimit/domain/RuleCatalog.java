package dev.blocks.ratelimit.domain;

import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.kit.ratelimit.RuleSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules in force at one moment: those from configuration, then those from the rules table. A table rule
 * whose id a configured rule already uses is left out (the admin API refuses to write one, so only a
 * configuration change made after the write can cause it); {@link #overridden()} names them for a log line.
 * {@code storedKnown} is false until the table was read once: until then a rule missing from configuration
 * may still exist.
 */
public final class RuleCatalog {

    private final Map<String, Rule> byId;
    private final Map<String, Rule> configured;
    private final List<String> overridden;
    private final boolean storedKnown;
    private final RuleSet set;

    private RuleCatalog(Map<String, Rule> byId, Map<String, Rule> configured, List<String> overridden, boolean storedKnown) {
        this.byId = byId;
        this.configured = configured;
        this.overridden = List.copyOf(overridden);
        this.storedKnown = storedKnown;
        this.set = RuleSet.of(byId.values());
    }

    /** Configuration only: the table has not been read yet. */
    public static RuleCatalog configuredOnly(List<Rule> configured) {
        return build(configured, List.of(), false);
    }

    public static RuleCatalog of(List<Rule> configured, List<Rule> stored) {
        return build(configured, stored, true);
    }

    private static RuleCatalog build(List<Rule> configuredRules, List<Rule> stored, boolean storedKnown) {
        Map<String, Rule> configured = new LinkedHashMap<>();
        configuredRules.forEach(r -> configured.put(r.id(), r));
        Map<String, Rule> byId = new LinkedHashMap<>(configured);
        List<String> overridden = new ArrayList<>();
        for (Rule rule : stored) {
            if (configured.containsKey(rule.id())) {
                overridden.add(rule.id());
            } else {
                byId.putIfAbsent(rule.id(), rule);
            }
        }
        return new RuleCatalog(byId, configured, overridden, storedKnown);
    }

    /**
     * The rule in force with this id. Empty means there is none only when {@link #storedKnown()}; before the
     * table was read, a rule missing from configuration may still exist.
     */
    public Optional<Rule> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public boolean isConfigured(String id) {
        return configured.containsKey(id);
    }

    public Optional<Rule> configured(String id) {
        return Optional.ofNullable(configured.get(id));
    }

    public boolean storedKnown() {
        return storedKnown;
    }

    /** Table rules left out because a configured rule has their id. */
    public List<String> overridden() {
        return overridden;
    }

    /** Every rule in force, configured ones first. */
    public RuleSet ruleSet() {
        return set;
    }
}
