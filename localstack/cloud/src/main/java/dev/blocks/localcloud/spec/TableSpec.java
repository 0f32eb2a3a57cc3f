package dev.blocks.localcloud.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A DynamoDB table. {@code attributes} maps attribute name to its type letter (S, N, B). */
public record TableSpec(
        String name,
        String hashKey,
        Optional<String> rangeKey,
        Map<String, String> attributes,
        List<IndexSpec> globalIndexes,
        Optional<String> ttlAttribute) {

    public record IndexSpec(String name, String hashKey, Optional<String> rangeKey, String projectionType,
                            List<String> nonKeyAttributes) {}
}
