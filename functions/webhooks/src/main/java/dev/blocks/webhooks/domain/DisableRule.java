package dev.blocks.webhooks.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * An endpoint that has failed every delivery for {@code after} (5 days by default) is disabled: nobody is
 * listening, and its retries only cost. {@code failingSince} is the first failure after the last success.
 */
public record DisableRule(Duration after) {

    public static final DisableRule DEFAULT = new DisableRule(Duration.ofDays(5));

    public boolean disables(Instant failingSince, Instant now) {
        return failingSince != null && Duration.between(failingSince, now).compareTo(after) >= 0;
    }
}
