package dev.blocks.localcloud.lambda;

import java.util.List;

/**
 * A function of the local Lambda service at one moment. {@code initialised}: an instance has finished its init
 * (reached its first {@code /next}) at least once; {@code lastInitError}: why the latest failed init failed, or
 * null; {@code processIds}: the operating-system processes of its instances, so tests can read what an instance
 * costs (its memory in {@code /proc}) the way Lambda's REPORT line would tell; {@code frozen}: instances suspended
 * while they wait for an invocation; {@code launched}: instances started so far (each one a cold start).
 */
public record FunctionStatus(String name, int instances, int busy, int frozen, int launched, boolean initialised,
                             String lastInitError, List<Long> processIds) {}
