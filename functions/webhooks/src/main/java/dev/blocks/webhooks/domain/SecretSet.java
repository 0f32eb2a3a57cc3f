package dev.blocks.webhooks.domain;

import dev.blocks.kit.validation.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The active secrets of a source or endpoint: one, or two during a rotation (the first is the newest). Never
 * logged: {@link #toString()} hides the values.
 */
public record SecretSet(List<String> secrets) {

    public static final int MAX = 2;

    public SecretSet {
        if (secrets.isEmpty() || secrets.size() > MAX) {
            throw new IllegalArgumentException("one or two secrets");
        }
        secrets = List.copyOf(secrets);
    }

    public static SecretSet of(String... secrets) {
        return new SecretSet(List.of(secrets));
    }

    /** The secrets, checked for {@code scheme}; problems are added to {@code violations} under {@code field}. */
    public static SecretSet validate(Scheme scheme, List<String> secrets, String field, List<FieldError> violations) {
        if (secrets == null || secrets.isEmpty() || secrets.size() > MAX) {
            violations.add(new FieldError(field, "one or two secrets (two while rotating)"));
            return null;
        }
        int before = violations.size();
        for (int i = 0; i < secrets.size(); i++) {
            String secret = secrets.get(i);
            if (secret == null || secret.length() < 8 || secret.length() > 256
                    || secret.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || !secret.strip().equals(secret)) {
                violations.add(new FieldError(field + "[" + i + "]", "8 to 256 characters, no control characters or surrounding spaces"));
            } else if (scheme == Scheme.STANDARD && WebhookSecret.standardRefusal(secret) != null) {
                violations.add(new FieldError(field + "[" + i + "]", WebhookSecret.standardRefusal(secret)));
            }
        }
        return violations.size() == before ? new SecretSet(secrets) : null;
    }

    /** The newest secret first, then the one it replaces. */
    public SecretSet rotatedTo(String newest) {
        return new SecretSet(List.of(newest, secrets.get(0)));
    }

    public String newest() {
        return secrets.get(0);
    }

    public List<byte[]> keys(Signatures signatures) {
        List<byte[]> keys = new ArrayList<>(secrets.size());
        secrets.forEach(s -> keys.add(signatures.key(s)));
        return keys;
    }

    @Override
    public String toString() {
        return "SecretSet[" + secrets.size() + " secret(s)]";
    }
}
