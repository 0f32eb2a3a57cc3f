package dev.blocks.localcloud.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An SQS queue's access policy document, asked the one question AWS asks of it at create time: may S3 send
 * this bucket's event notifications to the queue? S3 sends a test message when a bucket's notification
 * configuration is written and refuses the configuration when the queue's policy does not let it through.
 *
 * <p>Only what decides that is evaluated: Allow and Deny statements, their principal ({@code s3.amazonaws.com}
 * or anyone), action ({@code sqs:SendMessage}, wildcards included), resource (the queue's ARN), and conditions on
 * {@code aws:SourceArn} and {@code aws:SourceAccount}. An Allow with a condition on any other key is taken as
 * allowing, a Deny with one as not denying: the local cloud refuses only what AWS certainly would.
 */
final class QueuePolicy {

    private static final String ACTION = "sqs:sendmessage";
    private static final String SERVICE = "s3.amazonaws.com";

    private final JsonNode document;

    private QueuePolicy(JsonNode document) {
        this.document = document;
    }

    /** @throws IllegalArgumentException when {@code json} is not a JSON object */
    static QueuePolicy parse(String json) {
        try {
            JsonNode document = new ObjectMapper().readTree(json);
            if (document == null || !document.isObject()) {
                throw new IllegalArgumentException("not a JSON policy document");
            }
            return new QueuePolicy(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Whether S3 may send notifications of {@code bucketArn} to the queue {@code queueArn}.
     *
     * @param queueArn the queue's ARN, whose account is what {@code aws:SourceAccount} is compared with; where
     *                 the plan does not know it, {@code arn:aws:sqs:::<name>}: then only the name is compared
     */
    boolean allowsS3Notifications(String queueArn, String bucketArn) {
        Map<String, String> context = new HashMap<>();
        context.put("aws:sourcearn", bucketArn);
        if (!account(queueArn).isEmpty()) {
            context.put("aws:sourceaccount", account(queueArn));
        }
        boolean allowed = false;
        for (JsonNode statement : statements()) {
            if (!appliesTo(statement, queueArn)) {
                continue;
            }
            String effect = statement.path("Effect").asText("");
            if (effect.equals("Deny") && conditionsHold(statement.path("Condition"), context, false)) {
                return false;
            }
            if (effect.equals("Allow") && conditionsHold(statement.path("Condition"), context, true)) {
                allowed = true;
            }
        }
        return allowed;
    }

    private List<JsonNode> statements() {
        JsonNode statement = document.path("Statement");
        List<JsonNode> statements = new ArrayList<>();
        if (statement.isArray()) {
            statement.forEach(statements::add);
        } else if (statement.isObject()) {
            statements.add(statement);
        }
        return statements;
    }

    private static boolean appliesTo(JsonNode statement, String queueArn) {
        return principalIsS3(statement.path("Principal"))
                && anyMatches(statement.path("Action"), ACTION, true)
                && resourceMatches(statement.path("Resource"), queueArn);
    }

    private static boolean resourceMatches(JsonNode resources, String queueArn) {
        if (resources.isMissingNode() || anyMatches(resources, queueArn, false)) {
            return true;
        }
        if (!account(queueArn).isEmpty()) {
            return false;
        }
        String name = queueArn.substring(queueArn.lastIndexOf(':') + 1);
        for (String pattern : texts(resources)) {
            if (glob(pattern.substring(pattern.lastIndexOf(':') + 1), false).matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    private static boolean principalIsS3(JsonNode principal) {
        if (principal.isTextual()) {
            return principal.asText().equals("*");
        }
        return anyMatches(principal.path("Service"), SERVICE, true) || texts(principal.path("AWS")).contains("*");
    }

    /**
     * Whether every condition holds for the request S3 makes. {@code unknownHolds}: what a condition on a key
     * other than the source ARN and account counts as.
     */
    private static boolean conditionsHold(JsonNode conditions, Map<String, String> context, boolean unknownHolds) {
        var operators = conditions.fields();
        while (operators.hasNext()) {
            var operator = operators.next();
            String name = operator.getKey();
            boolean ifExists = name.endsWith("IfExists");
            String base = ifExists ? name.substring(0, name.length() - "IfExists".length()) : name;
            var keys = operator.getValue().fields();
            while (keys.hasNext()) {
                var key = keys.next();
                String value = context.get(key.getKey().toLowerCase(Locale.ROOT));
                if (value == null) {
                    if (!unknownHolds) {
                        return false;
                    }
                    continue;
                }
                Boolean holds = holds(base, key.getValue(), value);
                if (holds == null ? !unknownHolds : !holds) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Null for an operator not evaluated here. */
    private static Boolean holds(String operator, JsonNode expected, String value) {
        return switch (operator) {
            case "ArnEquals", "ArnLike", "StringLike" -> anyMatches(expected, value, false);
            case "StringEquals" -> texts(expected).contains(value);
            case "StringEqualsIgnoreCase" -> texts(expected).stream().anyMatch(value::equalsIgnoreCase);
            case "ArnNotEquals", "ArnNotLike", "StringNotLike" -> !anyMatches(expected, value, false);
            case "StringNotEquals" -> !texts(expected).contains(value);
            default -> null;
        };
    }

    /** Whether any of the (wildcard) patterns in {@code patterns} matches {@code value}. */
    private static boolean anyMatches(JsonNode patterns, String value, boolean ignoreCase) {
        for (String pattern : texts(patterns)) {
            if (glob(pattern, ignoreCase).matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern glob(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(element -> texts.add(element.asText()));
        } else if (node.isValueNode() && !node.isNull()) {
            texts.add(node.asText());
        }
        return texts;
    }

    private static String account(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length == 6 ? parts[4] : "";
    }
}
