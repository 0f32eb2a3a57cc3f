package dev.blocks.webhooks.domain;

import java.util.Locale;
import java.util.Optional;

/** The signature schemes a webhook source can use; {@link #signatures} gives each one's signer and verifier. */
public enum Scheme {
    /** Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>}. */
    STANDARD,
    /** Stripe: {@code Stripe-Signature: t=<seconds>,v1=<hex>}. */
    STRIPE,
    /** GitHub: {@code X-Hub-Signature-256: sha256=<hex>}, no timestamp. */
    GITHUB,
    /** An HMAC of the body in a header of the source's choosing ({@link HmacOptions}). */
    HMAC;

    public static Optional<Scheme> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Scheme scheme : values()) {
            if (scheme.wire().equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(scheme);
            }
        }
        return Optional.empty();
    }

    /** The name in the API ({@code standard}, {@code stripe}, {@code github}, {@code hmac}). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What this scheme's events are deduplicated on: always something its signature covers. */
    public EventKey eventKey() {
        return switch (this) {
            case STANDARD -> EventKey.SIGNED_ID;
            case STRIPE -> EventKey.BODY_ID;
            case GITHUB, HMAC -> EventKey.BODY_DIGEST;
        };
    }

    /** The signer and verifier of this scheme; {@code hmac} is only used by {@link #HMAC}. */
    public Signatures signatures(HmacOptions hmac) {
        return switch (this) {
            case STANDARD -> new StandardSignatures();
            case STRIPE -> new StripeSignatures();
            case GITHUB -> new GithubSignatures();
            case HMAC -> new HmacSignatures(hmac);
        };
    }
}
