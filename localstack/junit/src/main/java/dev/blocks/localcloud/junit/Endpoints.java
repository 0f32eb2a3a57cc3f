package dev.blocks.localcloud.junit;

/**
 * Where each service of a running local cloud answers. The cloud process writes this as JSON once it is ready;
 * tests and {@code ./run-local} read it. {@code gateway}: API Gateway HTTP API; {@code lambda}: the Invoke API
 * (an SDK {@code LambdaClient} endpoint); {@code admin}: the local cloud's own control API (fault injection).
 * Kafka is {@code host:port} bootstrap servers, Redis a {@code redis://host:port} URI, the rest http URLs.
 */
public record Endpoints(
        String gateway,
        String lambda,
        String dynamodb,
        String sqs,
        String s3,
        String kafka,
        String redis,
        String admin,
        String region,
        String accessKeyId,
        String secretAccessKey) {}
