package dev.blocks.scheduler.domain;

import java.util.Locale;
import java.util.Optional;

/** What a recurring job's run does when the previous run is still under way. */
public enum Overlap {
    /** The new run is recorded as SKIPPED (the default). */
    SKIP,
    /** Both run. */
    ALLOW,
    /** The new run waits until the current one ends; a third one meanwhile is skipped. */
    BUFFER;

    public static Optional<Overlap> parse(String text) {
        for (Overlap overlap : values()) {
            if (overlap.name().equals(text.toUpperCase(Locale.ROOT)) || (overlap == BUFFER && text.equalsIgnoreCase("buffer-one"))) {
                return Optional.of(overlap);
            }
        }
        return Optional.empty();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
