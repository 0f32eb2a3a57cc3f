package dev.blocks.localcloud.emulators;

/**
 * One real server of the local cloud (DynamoDB Local, ElasticMQ, S3Proxy, a KRaft broker, redis-server).
 * Each listens on a free loopback port chosen at the first start; a restart after {@link #stop()} reuses that
 * port, so clients configured with {@link #endpoint()} reconnect (fault tests stop and start Redis and Kafka).
 */
public interface Emulator extends AutoCloseable {

    /** Short service name: dynamodb, sqs, s3, kafka or redis. */
    String name();

    /** Starts the server and returns once a health check passed. */
    void start() throws Exception;

    /** Stops the server; idempotent. Nothing it started stays running. */
    void stop();

    boolean running();

    /**
     * Where clients connect: {@code http://127.0.0.1:PORT} for the AWS services, {@code 127.0.0.1:PORT} for
     * Kafka bootstrap servers, {@code redis://127.0.0.1:PORT} for Redis.
     */
    String endpoint();

    @Override
    default void close() {
        stop();
    }
}
