package dev.blocks.webhooks.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * An inbound webhook source: who configured it under which name (names are per owner: two owners may both have
 * {@code acme}), its receive id ({@code POST /v1/hooks/{id}}; null until it is first stored), how its requests are
 * signed (scheme, one or two secrets, the replay tolerance, HMAC options for {@code hmac}) and where verified
 * events go.
 */
public record Source(String id, String name, String owner, Scheme scheme, SecretSet secrets, Duration tolerance,
                     Destination destination, HmacOptions hmac, Instant updatedAt) {

    public Source withId(String newId) {
        return new Source(newId, name, owner, scheme, secrets, tolerance, destination, hmac, updatedAt);
    }

    public Signatures signatures() {
        return scheme.signatures(hmac);
    }
}
