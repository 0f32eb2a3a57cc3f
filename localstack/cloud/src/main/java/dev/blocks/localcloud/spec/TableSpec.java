package dev.blocks.localcloud.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A DynamoDB table. {@code attributes} maps attribute name to its type letter (S, N, B). A local index's
 * {@code hashKey} is the table's.
 */
public record TableSpec(
        String name,
        String hashKey,
        Optional<String> rangeKey,
        Map<String, String> attributes,
        List<IndexSpec> globalIndexes,
        Optional<String> ttlAttribute,
        List<IndexSpec> localIndexes) {

    /** A table without local secondary indexes. */
    public TableSpec(String name, String hashKey, Optional<String> rangeKey, Map<String, String> attributes,
                     List<IndexSpec> globalIndexes, Optional<String> ttlAttribute) {
        this(name, hashKey, rangeKey, attributes, globalIndexes, ttlAttribute, List.of());
    }

    public record IndexSpec(String name, String hashKey, Optional<String> rangeKey, String projectionType,
                            List<String> nonKeyAttributes) {}
}
