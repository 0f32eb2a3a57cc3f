package dev.blocks.kit.ratelimit;

import java.util.Optional;

/** What a rule counts per: each part present in a rule's {@code keyBy} gives every distinct value its own counter. */
public enum KeyPart {
    API_KEY("apiKey"),
    USER("user"),
    IP("ip"),
    ROUTE("route");

    private final String jsonName;

    KeyPart(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<KeyPart> fromJson(String name) {
        for (KeyPart p : values()) {
            if (p.jsonName.equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
