package dev.blocks.localcloud.plan;

import java.util.Optional;

/**
 * Names read out of the identifiers that Terraform configurations pass around: ARNs, API Gateway invoke ARNs,
 * queue URLs, or plain names. Empty when the text is an identifier of another kind of resource.
 */
final class Arns {

    private Arns() {
    }

    /**
     * Function name from a name, a function or alias ARN ({@code arn:aws:lambda:r:a:function:name[:qualifier]}),
     * a partial ARN ({@code a:function:name}) or an API Gateway integration URI
     * ({@code arn:aws:apigateway:r:lambda:path/2015-03-31/functions/<function ARN>/invocations}).
     */
    static Optional<String> functionName(String text) {
        String value = text;
        int functions = value.indexOf(":lambda:path/");
        if (functions >= 0) {
            int start = value.indexOf("/functions/", functions);
            int end = value.lastIndexOf("/invocations");
            if (start < 0 || end < start) {
                return Optional.empty();
            }
            value = value.substring(start + "/functions/".length(), end);
        }
        int function = value.indexOf(":function:");
        if (function >= 0) {
            String nameAndQualifier = value.substring(function + ":function:".length());
            int qualifier = nameAndQualifier.indexOf(':');
            return Optional.of(qualifier >= 0 ? nameAndQualifier.substring(0, qualifier) : nameAndQualifier);
        }
        return value.startsWith("arn:") || value.contains("/") || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** Queue name from a queue ARN ({@code arn:aws:sqs:r:a:name}) or URL ({@code https://host/a/name}). */
    static Optional<String> queueName(String text) {
        if (text.startsWith("arn:")) {
            String[] parts = text.split(":", 6);
            return parts.length == 6 && parts[2].equals("sqs") ? Optional.of(parts[5]) : Optional.empty();
        }
        if (text.startsWith("http://") || text.startsWith("https://")) {
            return Optional.of(text.substring(text.lastIndexOf('/') + 1));
        }
        return Optional.empty();
    }

    /** Service of an ARN ({@code sqs}, {@code kafka}, ...), or empty when the text is not an ARN. */
    static Optional<String> service(String text) {
        String[] parts = text.split(":", 4);
        return parts.length >= 3 && parts[0].equals("arn") ? Optional.of(parts[2]) : Optional.empty();
    }

    /** Bucket name from a name or a bucket ARN ({@code arn:aws:s3:::name}). */
    static String bucketName(String text) {
        return text.startsWith("arn:") ? text.substring(text.lastIndexOf(':') + 1) : text;
    }

    /** Rule name from a name or a rule ARN ({@code arn:aws:events:r:a:rule/[bus/]name}). */
    static String ruleName(String text) {
        return text.startsWith("arn:") ? text.substring(text.lastIndexOf('/') + 1) : text;
    }
}
