package dev.blocks.ratelimit.domain;

import dev.blocks.kit.ratelimit.Rule;
import java.util.List;

/** Where managed rules are stored (the DynamoDB rules table): every valid rule, in one read. */
public interface RuleSource {

    /** All stored rules; throws when the store cannot be read. */
    List<Rule> all();
}
