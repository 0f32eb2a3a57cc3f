package dev.blocks.localcloud.spec;

import java.util.List;

/** An S3 bucket, its queue notifications and its CORS rules. */
public record BucketSpec(String name, List<NotificationSpec> notifications, List<CorsRule> cors) {

    /** S3 → SQS notification. {@code events} as S3 writes them, e.g. {@code s3:ObjectCreated:*}. */
    public record NotificationSpec(String queueName, List<String> events, String prefix, String suffix) {}

    public record CorsRule(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                           List<String> exposeHeaders, int maxAgeSeconds) {}
}
