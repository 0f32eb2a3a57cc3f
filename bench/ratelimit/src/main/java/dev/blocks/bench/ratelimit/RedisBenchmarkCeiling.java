package dev.blocks.bench.ratelimit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ceiling: {@code redis-benchmark} sending the very same EVALSHA (same script, same arguments, keys spread
 * the same way) from as many connections as the harness has threads. What is left between this and the kit's
 * numbers is the client side: the Vert.x client, the JVM, the limiter's own work.
 */
final class RedisBenchmarkCeiling {

    /** One rule of a script call as the store sends it: algorithm code, limit, window ms, burst. */
    record ScriptRule(String keyPrefix, String code, long limit, long windowMs, long burst) {}

    private RedisBenchmarkCeiling() {}

    static Sample run(String name, String host, int port, int concurrency, long requests, int keys, String sha,
            List<ScriptRule> rules) throws IOException, InterruptedException {
        List<String> keyArgs = new ArrayList<>();
        List<String> ruleArgs = new ArrayList<>();
        for (ScriptRule rule : rules) {
            keyArgs.add(rule.keyPrefix() + "__rand_int__");
            if (rule.code().equals("sl")) {
                keyArgs.add(rule.keyPrefix() + "__rand_int__:seq");
            }
            ruleArgs.addAll(List.of(rule.code(), Long.toString(rule.limit()), Long.toString(rule.windowMs()),
                    Long.toString(rule.burst()), "0", "0"));
        }
        List<String> command = new ArrayList<>(List.of("redis-benchmark", "-h", host, "-p", Integer.toString(port),
                "-c", Integer.toString(concurrency), "-n", Long.toString(requests), "-r", Integer.toString(keys),
                "--csv", "EVALSHA", sha, Integer.toString(keyArgs.size())));
        command.addAll(keyArgs);
        command.addAll(List.of("d", "", "1", ""));
        command.addAll(ruleArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("redis-benchmark failed: " + output);
        }
        for (String line : output.split("\r?\n")) {
            if (line.startsWith("\"EVALSHA")) {
                String[] fields = line.split("\",\"");
                double rps = Double.parseDouble(fields[1]);
                double p50 = Double.parseDouble(fields[4]) * 1000;
                double p99 = Double.parseDouble(fields[6].replace("\"", "")) * 1000;
                return new Sample(name, rps, p50, p99);
            }
        }
        throw new IOException("no EVALSHA line in redis-benchmark output: " + output);
    }
}
