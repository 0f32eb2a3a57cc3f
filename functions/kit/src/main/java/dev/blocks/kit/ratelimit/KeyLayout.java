package dev.blocks.kit.ratelimit;

import dev.blocks.kit.crypto.Sha256Hash;
import dev.blocks.kit.net.ClientIp;
import java.util.Base64;

/**
 * Names counters: {@code <tagged prefix><rule id>:<parameters>:<subject>}, e.g.
 * {@code {rl}:per-key:tb100/60s+20:k=Nq0xN2V1fQ4r8mZcT5pW2A} (ONE_SLOT) or
 * {@code rl:{k=Nq0xN2V1fQ4r8mZcT5pW2A}:per-key:tb100/60s+20:k=Nq0xN2V1fQ4r8mZcT5pW2A} (PER_SUBJECT); a key named
 * explicitly ({@link #check(Rule, String)}) is the subject {@code x=<digest>}.
 * The parameters are part of the name so that a changed rule starts from fresh counters instead of reading
 * state kept under other units. A client IP is keyed by {@link ClientIp#key}: an IPv6 client by its /64, an
 * IPv4-mapped address as the IPv4 address. The leading key part (in {@link KeyPart} order: API key, user,
 * IP, route) is the PER_SUBJECT hash tag. API keys appear only as a truncated SHA-256; values are escaped so
 * that no value can open or close a hash tag.
 */
final class KeyLayout {

    private final HashTagPolicy policy;

    KeyLayout(HashTagPolicy policy) {
        this.policy = policy;
    }

    RuleCheck check(Rule rule, LimitRequest request) {
        StringBuilder subject = new StringBuilder();
        KeyPart leading = null;
        String leadingValue = null;
        for (KeyPart part : rule.keyBy()) {
            if (!subject.isEmpty()) {
                subject.append('|');
            }
            String value = code(part) + "=" + switch (part) {
                case API_KEY -> digest(request.apiKey());
                case IP -> escape(ClientIp.key(request.ip()));
                default -> escape(request.part(part));
            };
            subject.append(value);
            if (leading == null || part.ordinal() < leading.ordinal()) {
                leading = part;
                leadingValue = value;
            }
        }
        if (subject.isEmpty()) {
            subject.append('*');
        }
        String tag = switch (policy) {
            case ONE_SLOT -> "rl";
            case PER_SUBJECT -> leading == null ? "*" : leadingValue;
        };
        String prefix = policy == HashTagPolicy.ONE_SLOT ? "{rl}:" : "rl:{" + tag + "}:";
        return new RuleCheck(rule, prefix + rule.id() + ':' + parameters(rule) + ':' + subject, tag);
    }

    /**
     * The counter of {@code rule} for a key the caller names itself (the rate-limit function's
     * {@code {rule, key}}): {@code keyBy} is not consulted, the key alone picks the counter. Keys appear only as
     * a truncated SHA-256 ({@code x=...}), so whatever a caller uses as its key, a secret included, never reaches
     * Redis, and every key has the same length; the {@code x} part keeps these counters apart from those the
     * rule counts for matched requests.
     */
    RuleCheck check(Rule rule, String key) {
        String subject = "x=" + digest(key);
        String tag = policy == HashTagPolicy.ONE_SLOT ? "rl" : subject;
        String prefix = policy == HashTagPolicy.ONE_SLOT ? "{rl}:" : "rl:{" + tag + "}:";
        return new RuleCheck(rule, prefix + rule.id() + ':' + parameters(rule) + ':' + subject, tag);
    }

    static String parameters(Rule rule) {
        String code = switch (rule.algorithm()) {
            case TOKEN_BUCKET -> "tb";
            case SLIDING_WINDOW -> "sw";
            case FIXED_WINDOW -> "fw";
            case SLIDING_LOG -> "sl";
            case GCRA -> "gc";
        };
        return code + rule.limit() + '/' + rule.windowSeconds() + 's' + (rule.burst() > 0 ? "+" + rule.burst() : "");
    }

    private static char code(KeyPart part) {
        return switch (part) {
            case API_KEY -> 'k';
            case USER -> 'u';
            case IP -> 'i';
            case ROUTE -> 'r';
        };
    }

    private static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '%' -> out.append("%25");
                case '{' -> out.append("%7B");
                case '}' -> out.append("%7D");
                case '|' -> out.append("%7C");
                case ':' -> out.append("%3A");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String digest(String apiKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256Hash.of(apiKey)).substring(0, 22);
    }
}
