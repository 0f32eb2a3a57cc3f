package dev.blocks.webhooks.domain;

import java.time.Instant;
import java.util.List;

/**
 * A subscriber of outbound events. {@code secrets} holds the newest secret first and, for {@code previousUntil}
 * after a rotation, the one it replaced: deliveries carry a signature for each, so receivers can switch at their
 * pace; null when the endpoint was listed rather than read (listing decrypts nothing). {@code failingSince} is the first failure after the last success (the 5-day disable rule).
 */
public record Endpoint(String owner, String id, String url, List<String> events, String description,
                       SecretSet secrets, Instant previousUntil, boolean disabled, String disabledReason,
                       Instant failingSince, Instant createdAt, Instant updatedAt) {

    /** The secrets deliveries are signed with at {@code now}. */
    public SecretSet signingSecrets(Instant now) {
        if (secrets.secrets().size() > 1 && (previousUntil == null || now.isAfter(previousUntil))) {
            return SecretSet.of(secrets.newest());
        }
        return secrets;
    }

    public boolean subscribed(String type) {
        return !disabled && EventTypes.subscribed(events, type);
    }
}
