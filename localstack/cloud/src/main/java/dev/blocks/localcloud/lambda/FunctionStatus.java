package dev.blocks.localcloud.lambda;

/**
 * A function of the local Lambda service at one moment. {@code initialised}: an instance has finished its init
 * (reached its first {@code /next}) at least once; {@code lastInitError}: why the latest failed init failed, or
 * null.
 */
public record FunctionStatus(String name, int instances, int busy, boolean initialised, String lastInitError) {}
