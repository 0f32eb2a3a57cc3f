package dev.blocks.scheduler.domain;

import dev.blocks.kit.net.OutboundUrl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a job may target. Queues and topics by name; HTTP(S) endpoints only on public hosts (the same rules as
 * every outbound URL, plus the hosts an operator allowed explicitly, e.g. 127.0.0.1 in a local test stack); Lambda
 * functions only of this deployment (name starting with the prefix), never the scheduler's own functions.
 */
public record TargetRules(String prefix, Set<String> ownFunctions, Set<String> allowedPrivateHosts) {

    private static final int MAX_HEADERS = 20;
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "connection",
            "transfer-encoding", "idempotency-key", "expect", "upgrade", "te", "trailer", "keep-alive",
            "proxy-authorization", "proxy-connection");

    public Target validate(JobDraft.TargetDraft draft, List<Violation> violations) {
        if (draft == null) {
            violations.add(new Violation("target", "a target is required: {\"type\": \"sqs\" | \"kafka\" | \"http\" | \"lambda\", ...}"));
            return null;
        }
        String type = draft.type() == null ? "" : draft.type();
        return switch (type) {
            case "sqs" -> named(draft.queue(), "target.queue", "[A-Za-z0-9_-]{1,80}(\\.fifo)?", violations) ? new Target.Queue(draft.queue()) : null;
            case "kafka" -> named(draft.topic(), "target.topic", "[A-Za-z0-9._-]{1,249}", violations) ? new Target.Topic(draft.topic()) : null;
            case "http" -> http(draft, violations);
            case "lambda" -> function(draft.function(), violations);
            default -> {
                violations.add(new Violation("target.type", "must be sqs, kafka, http or lambda"));
                yield null;
            }
        };
    }

    /** Whether {@code url} may be called; the reason when not. Also used again at delivery time. */
    public java.util.Optional<String> urlRefusal(String url) {
        java.util.Optional<String> strict = OutboundUrl.refusal(url, false);
        if (strict.isEmpty()) {
            return strict;
        }
        try {
            OutboundUrl lenient = OutboundUrl.parse(url, true);
            if (allowsPrivate(lenient.host())) {
                return java.util.Optional.empty();
            }
        } catch (OutboundUrl.Refused e) {
            return java.util.Optional.of(e.getMessage());
        }
        return strict;
    }

    /** Whether the operator allowed {@code host} although it is not public. */
    public boolean allowsPrivate(String host) {
        return allowedPrivateHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    private Target http(JobDraft.TargetDraft draft, List<Violation> violations) {
        int before = violations.size();
        urlRefusal(draft.url()).ifPresent(reason -> violations.add(new Violation("target.url", reason)));
        String method = draft.method() == null ? "POST" : draft.method().toUpperCase(Locale.ROOT);
        if (!Set.of("POST", "PUT", "PATCH", "GET", "DELETE").contains(method)) {
            violations.add(new Violation("target.method", "must be POST, PUT, PATCH, GET or DELETE"));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (draft.headers() != null) {
            if (draft.headers().size() > MAX_HEADERS) {
                violations.add(new Violation("target.headers", "at most " + MAX_HEADERS + " headers"));
            }
            draft.headers().forEach((name, value) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.matches("[a-z0-9!#$%&'*+.^_`|~-]{1,64}") || RESERVED_HEADERS.contains(lower)) {
                    violations.add(new Violation("target.headers", "header " + name + " cannot be set"));
                } else if (value == null || value.length() > 1024 || value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                    violations.add(new Violation("target.headers", "header " + name + " needs a printable value of at most 1024 characters"));
                } else {
                    headers.put(name, value);
                }
            });
        }
        return violations.size() == before ? new Target.Http(draft.url(), method, Map.copyOf(headers)) : null;
    }

    private Target function(String name, List<Violation> violations) {
        if (!named(name, "target.function", "[A-Za-z0-9_-]{1,64}", violations)) {
            return null;
        }
        if (!name.startsWith(prefix + "-")) {
            violations.add(new Violation("target.function", "only functions of this deployment (" + prefix + "-...) can be invoked"));
            return null;
        }
        if (ownFunctions.contains(name)) {
            violations.add(new Violation("target.function", "the scheduler's own functions cannot be targets"));
            return null;
        }
        return new Target.Function(name);
    }

    private static boolean named(String value, String field, String pattern, List<Violation> violations) {
        if (value == null || !value.matches(pattern)) {
            violations.add(new Violation(field, "required, matching " + pattern));
            return false;
        }
        return true;
    }
}
