package dev.blocks.localcloud.junit;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Which local cloud the tests get: set by the system property {@code blocks.cloud} or the environment variable
 * {@code BLOCKS_CLOUD}; {@code auto} (the default) picks LocalStack when a Docker engine answers.
 */
enum CloudMode {
    AUTO,
    /** The Docker-free cloud: real emulators in a child JVM. */
    LOCAL,
    /** LocalStack, Redis and Kafka containers, with functions, gateway and event sources still from the child JVM. */
    LOCALSTACK;

    static final String PROPERTY = "blocks.cloud";
    static final String ENVIRONMENT = "BLOCKS_CLOUD";

    static CloudMode configured() {
        String property = System.getProperty(PROPERTY);
        return parse(property == null || property.isBlank() ? System.getenv(ENVIRONMENT) : property);
    }

    static CloudMode parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    PROPERTY + "/" + ENVIRONMENT + " is '" + value + "'; expected auto, local or localstack", e);
        }
    }

    /**
     * The cloud to start: {@link #LOCAL} or {@link #LOCALSTACK}. Asking for LocalStack where no Docker engine
     * answers aborts the calling test (JUnit reports it skipped), because a missing engine is a property of the
     * machine, not a defect of the code under test.
     */
    CloudMode resolve(BooleanSupplier dockerAnswers) {
        return switch (this) {
            case LOCAL -> LOCAL;
            case AUTO -> dockerAnswers.getAsBoolean() ? LOCALSTACK : LOCAL;
            case LOCALSTACK -> {
                if (!dockerAnswers.getAsBoolean()) {
                    Assumptions.abort(NO_DOCKER);
                }
                yield LOCALSTACK;
            }
        };
    }

    static final String NO_DOCKER = "Skipped: " + PROPERTY + "=localstack needs a Docker engine and none answers"
            + " (Testcontainers found no usable Docker environment). Start Docker, or run with -D" + PROPERTY
            + "=local (or auto) to use the Docker-free local cloud.";

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
