package dev.blocks.scheduler.domain;

import java.time.Instant;
import java.util.Optional;

/** A single run at {@code runAt}, which may lie a little in the past (it then fires at once). */
public record OneTime(Instant runAt) implements Schedule {

    @Override
    public Optional<Instant> nextAfter(Instant after) {
        return Optional.empty();
    }

    @Override
    public Optional<Instant> first(Instant now) {
        return Optional.of(runAt);
    }

    @Override
    public boolean recurring() {
        return false;
    }
}
