package dev.blocks.webhooks.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * An inbound webhook source: who configured it, how its requests are signed (scheme, one or two secrets, the
 * replay tolerance, HMAC options for {@code hmac}) and where verified events go.
 */
public record Source(String name, String owner, Scheme scheme, SecretSet secrets, Duration tolerance,
                     Destination destination, HmacOptions hmac, Instant updatedAt) {

    public Signatures signatures() {
        return scheme.signatures(hmac);
    }
}
