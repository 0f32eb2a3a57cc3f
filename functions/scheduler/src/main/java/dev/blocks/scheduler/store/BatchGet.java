package dev.blocks.scheduler.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** Items of the jobs table by key, in BatchGetItem calls. */
final class BatchGet {

    /** BatchGetItem's limit. */
    static final int MAX_KEYS = 100;

    private BatchGet() {}

    /**
     * The items found for {@code keys} (at most {@link #MAX_KEYS}), strongly consistent, by their key; the call is
     * repeated, with a growing pause, for the keys DynamoDB left unprocessed.
     */
    static Map<Map<String, AttributeValue>, Map<String, AttributeValue>> consistent(DynamoDbClient dynamo, String table,
                                                                                   List<Map<String, AttributeValue>> keys) {
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> found = new HashMap<>();
        List<Map<String, AttributeValue>> pending = keys;
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round > 0) {
                pause(round);
            }
            List<Map<String, AttributeValue>> ask = pending;
            BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(Map.of(table,
                    KeysAndAttributes.builder().consistentRead(true).keys(ask).build())));
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                found.put(Map.of(JobItems.PK, item.get(JobItems.PK), JobItems.SK, item.get(JobItems.SK)), item);
            }
            KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
            pending = unprocessed == null ? List.of() : unprocessed.keys();
        }
        return found;
    }

    private static void pause(int round) {
        try {
            Thread.sleep(Math.min(500, 10L << Math.min(round, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading", e);
        }
    }
}
