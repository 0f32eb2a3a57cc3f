package dev.blocks.webhooks.domain;

import dev.blocks.kit.validation.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a source may be: a name usable in a URL path, a known scheme, valid secrets for it, a tolerance between 1 s
 * and {@code maxTolerance}, and a destination among those the deployment allows (the functions may only publish
 * where IAM lets them).
 */
public record SourceRules(Set<String> queues, Set<String> topics, Duration defaultTolerance, Duration maxTolerance) {

    private static final String NAME = "[a-z0-9][a-z0-9_-]{0,63}";
    private static final String ID = "src_[A-Za-z0-9_-]{20}";

    public static boolean validName(String name) {
        return name != null && name.matches(NAME);
    }

    /** Whether {@code id} can be a receive id ({@link Ids#source}); anything else is unknown without a lookup. */
    public static boolean validId(String id) {
        return id != null && id.matches(ID);
    }

    /** The source described by the request's fields, or null with the problems added to {@code violations}. */
    public Source validate(String name, String owner, String schemeName, List<String> secrets, Long toleranceSeconds,
                           String destinationType, String destinationName, HmacOptions hmac, Instant now,
                           List<FieldError> violations) {
        int before = violations.size();
        if (!validName(name)) {
            violations.add(new FieldError("source", "1 to 64 lower-case letters, digits, - or _"));
        }
        Scheme scheme = Scheme.parse(schemeName).orElse(null);
        if (scheme == null) {
            violations.add(new FieldError("scheme", "must be standard, stripe, github or hmac"));
        }
        SecretSet secretSet = scheme == null ? null : SecretSet.validate(scheme, secrets, "secrets", violations);
        Duration tolerance = defaultTolerance;
        if (toleranceSeconds != null) {
            tolerance = Duration.ofSeconds(toleranceSeconds);
            if (toleranceSeconds < 1 || tolerance.compareTo(maxTolerance) > 0) {
                violations.add(new FieldError("toleranceSeconds", "between 1 and " + maxTolerance.toSeconds()));
            }
        }
        Destination destination = null;
        if ("sqs".equals(destinationType)) {
            if (!queues.contains(destinationName)) {
                violations.add(new FieldError("destination.name", "one of the queues this deployment allows: " + String.join(", ", queues)));
            } else {
                destination = new Destination(Destination.Kind.SQS, destinationName);
            }
        } else if ("kafka".equals(destinationType)) {
            if (!topics.contains(destinationName)) {
                violations.add(new FieldError("destination.name", "one of the topics this deployment allows: " + String.join(", ", topics)));
            } else {
                destination = new Destination(Destination.Kind.KAFKA, destinationName);
            }
        } else {
            violations.add(new FieldError("destination.type", "must be sqs or kafka"));
        }
        if (violations.size() > before) {
            return null;
        }
        return new Source(null, name, owner, scheme, secretSet, tolerance, destination,
                scheme == Scheme.HMAC ? hmac : null, now);
    }
}
