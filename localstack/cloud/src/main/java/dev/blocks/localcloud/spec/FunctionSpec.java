package dev.blocks.localcloud.spec;

import java.nio.file.Path;
import java.util.Map;

/**
 * A Lambda function. {@code artifact} is the deployment zip (Quarkus {@code function.zip}): a JVM build is run
 * through AWS's Runtime Interface Client with {@code handler}, a native build's {@code bootstrap} runs itself.
 * {@code reservedConcurrency} of 0 or less means "no limit set" (the local cloud then caps instances itself).
 */
public record FunctionSpec(
        String name,
        String runtime,
        String handler,
        Path artifact,
        Map<String, String> environment,
        int memoryMb,
        int timeoutSeconds,
        int reservedConcurrency) {}
