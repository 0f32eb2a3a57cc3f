package dev.blocks.kit.ratelimit;

import java.util.Optional;

/** What a rule does when Redis cannot answer: let requests through (the default) or refuse them. */
public enum FailMode {
    OPEN("open"),
    CLOSED("closed");

    private final String jsonName;

    FailMode(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<FailMode> fromJson(String name) {
        for (FailMode m : values()) {
            if (m.jsonName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
