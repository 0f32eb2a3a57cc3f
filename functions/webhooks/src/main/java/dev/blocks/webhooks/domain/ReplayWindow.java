package dev.blocks.webhooks.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * The replay window of timestamped schemes: a signed timestamp more than the tolerance away from now, in either
 * direction, is refused, so a captured request cannot be replayed later and a sender's clock skew is bounded.
 */
final class ReplayWindow {

    private ReplayWindow() {}

    static boolean within(Instant timestamp, Instant now, Duration tolerance) {
        return Duration.between(timestamp, now).abs().compareTo(tolerance) <= 0;
    }

    /** A timestamp in whole epoch seconds, or null when {@code text} is not one. */
    static Instant epochSeconds(String text) {
        if (text == null || text.isEmpty() || text.length() > 12 || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Instant.ofEpochSecond(Long.parseLong(text));
    }
}
