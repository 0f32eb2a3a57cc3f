package dev.blocks.scheduler.domain;

import java.util.Optional;

/**
 * The shards one dispatcher reads ({@code "0-15"}): at high rates one schedule target per group lets ticks fan out
 * over several invocations, each claiming its share of a bucket in parallel.
 */
public record ShardRange(int first, int last) {

    /** {@code "a-b"} or a single shard {@code "a"}; empty when malformed. */
    public static Optional<ShardRange> parse(String text) {
        if (text == null || !text.matches("\\d{1,4}(-\\d{1,4})?")) {
            return Optional.empty();
        }
        String[] parts = text.split("-");
        int first = Integer.parseInt(parts[0]);
        int last = parts.length > 1 ? Integer.parseInt(parts[1]) : first;
        return first <= last ? Optional.of(new ShardRange(first, last)) : Optional.empty();
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
