package dev.blocks.uploads.domain;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which media types each purpose of an upload accepts. Patterns are {@code type/subtype}, {@code type/*} or
 * {@code * /*} (without the space); a purpose that is not listed accepts nothing.
 */
public final class ContentTypePolicy {

    private final Map<String, List<String>> patterns;

    public ContentTypePolicy(Map<String, List<String>> patternsByPurpose) {
        Map<String, List<String>> copy = new TreeMap<>();
        patternsByPurpose.forEach((purpose, list) -> {
            for (String pattern : list) {
                if (!wellFormed(pattern)) {
                    throw new IllegalArgumentException("purpose " + purpose + ": not a media type pattern: " + pattern);
                }
            }
            copy.put(purpose, list.stream().map(p -> p.trim().toLowerCase(Locale.ROOT)).toList());
        });
        this.patterns = copy;
    }

    /** Reads {@code purpose=pattern,pattern;purpose=pattern} (the form a single environment variable can hold). */
    public static ContentTypePolicy parse(String text) {
        Map<String, List<String>> purposes = new TreeMap<>();
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected purpose=type/subtype,...: " + entry);
            }
            String purpose = entry.substring(0, eq).trim();
            List<String> list = java.util.Arrays.stream(entry.substring(eq + 1).split(","))
                    .map(String::trim).filter(p -> !p.isEmpty()).toList();
            if (purposes.put(purpose, list) != null) {
                throw new IllegalArgumentException("purpose " + purpose + " is listed twice");
            }
        }
        return new ContentTypePolicy(purposes);
    }

    public boolean knows(String purpose) {
        return patterns.containsKey(purpose);
    }

    public List<String> purposes() {
        return List.copyOf(patterns.keySet());
    }

    public List<String> patterns(String purpose) {
        return Optional.ofNullable(patterns.get(purpose)).orElse(List.of());
    }

    public boolean allows(String purpose, MediaType type) {
        for (String pattern : patterns(purpose)) {
            if (pattern.equals("*/*") || pattern.equals(type.essence())
                    || (pattern.endsWith("/*") && pattern.substring(0, pattern.length() - 2).equals(type.type()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean wellFormed(String pattern) {
        String p = pattern.trim();
        if (p.equals("*/*")) {
            return true;
        }
        if (p.endsWith("/*")) {
            return MediaType.parse(p.substring(0, p.length() - 2) + "/x").isPresent();
        }
        return MediaType.parse(p).filter(m -> m.parameters().isEmpty()).isPresent();
    }
}
