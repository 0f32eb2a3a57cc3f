package dev.blocks.scheduler.domain;

import dev.blocks.kit.net.OutboundGuard;
import dev.blocks.kit.validation.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a job may target. HTTP(S) endpoints only on public hosts ({@link OutboundGuard}: the rules of every outbound
 * URL, plus hosts an operator allowed explicitly, e.g. 127.0.0.1 in a local test stack). Queues, topics and Lambda
 * functions only when the deployment lists them by name ({@code allowedQueues}, {@code allowedTopics},
 * {@code allowedFunctions}, empty by default), and never a resource of this stack (a name starting with
 * {@code <prefix>-}) even when listed: a job that could reach the stack's own functions or queues could mint API
 * keys or forge the stack's internal messages. Terraform refuses such lists already; this is the second line.
 */
public record TargetRules(String prefix, Set<String> ownFunctions, OutboundGuard urls, Set<String> allowedFunctions,
                          Set<String> allowedQueues, Set<String> allowedTopics) {

    private static final int MAX_HEADERS = 20;
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "connection",
            "transfer-encoding", "idempotency-key", "expect", "upgrade", "te", "trailer", "keep-alive",
            "proxy-authorization", "proxy-connection");
    private static final String QUEUE_NAME = "[A-Za-z0-9_-]{1,80}(\\.fifo)?";
    private static final String TOPIC_NAME = "[A-Za-z0-9._-]{1,249}";
    private static final String FUNCTION_NAME = "[A-Za-z0-9_-]{1,64}";

    /** Allow-lists name targets exactly: an entry with a wildcard or an ARN is a configuration error. */
    public TargetRules {
        allowedFunctions = exact(allowedFunctions, "allowed-functions");
        allowedQueues = exact(allowedQueues, "allowed-queues");
        allowedTopics = exact(allowedTopics, "allowed-topics");
    }

    public Target validate(JobDraft.TargetDraft draft, List<FieldError> violations) {
        if (draft == null) {
            violations.add(new FieldError("target", "a target is required: {\"type\": \"sqs\" | \"kafka\" | \"http\" | \"lambda\", ...}"));
            return null;
        }
        String type = draft.type() == null ? "" : draft.type();
        return switch (type) {
            case "sqs" -> listed(draft.queue(), "target.queue", QUEUE_NAME, violations) ? new Target.Queue(draft.queue()) : null;
            case "kafka" -> listed(draft.topic(), "target.topic", TOPIC_NAME, violations) ? new Target.Topic(draft.topic()) : null;
            case "http" -> http(draft, violations);
            case "lambda" -> listed(draft.function(), "target.function", FUNCTION_NAME, violations) ? new Target.Function(draft.function()) : null;
            default -> {
                violations.add(new FieldError("target.type", "must be sqs, kafka, http or lambda"));
                yield null;
            }
        };
    }

    /**
     * Why a stored job's target may not be called now, checked again at every delivery: the allow-lists may have
     * been tightened since the job was created. Empty when it may.
     */
    public Optional<String> deliveryRefusal(Target target) {
        if (target instanceof Target.Queue q) {
            return refusal(q.queue(), "target.queue");
        } else if (target instanceof Target.Topic t) {
            return refusal(t.topic(), "target.topic");
        } else if (target instanceof Target.Function f) {
            return refusal(f.function(), "target.function");
        } else if (target instanceof Target.Http h) {
            return urls.urlRefusal(h.url());
        }
        return Optional.of("unknown target " + target);
    }

    /** Whether {@code url} may be called; the reason when not. Also used again at delivery time. */
    public Optional<String> urlRefusal(String url) {
        return urls.urlRefusal(url);
    }

    private Target http(JobDraft.TargetDraft draft, List<FieldError> violations) {
        int before = violations.size();
        urlRefusal(draft.url()).ifPresent(reason -> violations.add(new FieldError("target.url", reason)));
        String method = draft.method() == null ? "POST" : draft.method().toUpperCase(Locale.ROOT);
        if (!Set.of("POST", "PUT", "PATCH", "GET", "DELETE").contains(method)) {
            violations.add(new FieldError("target.method", "must be POST, PUT, PATCH, GET or DELETE"));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (draft.headers() != null) {
            if (draft.headers().size() > MAX_HEADERS) {
                violations.add(new FieldError("target.headers", "at most " + MAX_HEADERS + " headers"));
            }
            draft.headers().forEach((name, value) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.matches("[a-z0-9!#$%&'*+.^_`|~-]{1,64}") || RESERVED_HEADERS.contains(lower)) {
                    violations.add(new FieldError("target.headers", "header " + name + " cannot be set"));
                } else if (value == null || value.length() > 1024 || value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                    violations.add(new FieldError("target.headers", "header " + name + " needs a printable value of at most 1024 characters"));
                } else {
                    headers.put(name, value);
                }
            });
        }
        return violations.size() == before ? new Target.Http(draft.url(), method, Map.copyOf(headers)) : null;
    }

    private boolean listed(String name, String field, String pattern, List<FieldError> violations) {
        if (name == null || !name.matches(pattern)) {
            violations.add(new FieldError(field, "required, matching " + pattern));
            return false;
        }
        Optional<String> refusal = refusal(name, field);
        refusal.ifPresent(reason -> violations.add(new FieldError(field, reason)));
        return refusal.isEmpty();
    }

    private Optional<String> refusal(String name, String field) {
        String kind = field.substring("target.".length());
        if (name.startsWith(prefix + "-") || ownFunctions.contains(name)) {
            return Optional.of("the " + kind + "s of this deployment (" + prefix + "-...) cannot be targets");
        }
        Set<String> allowed = switch (kind) {
            case "queue" -> allowedQueues;
            case "topic" -> allowedTopics;
            default -> allowedFunctions;
        };
        if (!allowed.contains(name)) {
            return Optional.of(kind + " " + name + " is not on this deployment's list of allowed targets"
                    + " (blocks.scheduler.targets.allowed-" + kind + "s)");
        }
        return Optional.empty();
    }

    private static Set<String> exact(Set<String> names, String key) {
        for (String name : names) {
            if (name.contains("*") || name.contains("?") || name.contains(":") || name.contains("/")) {
                throw new IllegalArgumentException("blocks.scheduler.targets." + key + " lists names exactly (no wildcards or ARNs): " + name);
            }
        }
        return Set.copyOf(names);
    }
}
