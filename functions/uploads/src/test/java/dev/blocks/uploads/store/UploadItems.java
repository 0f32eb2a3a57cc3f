package dev.blocks.uploads.store;

import dev.blocks.uploads.domain.Upload;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The uploads table's item shapes, as {@link UploadTable} writes them, for tests that put many uploads in the table
 * directly (through BatchWriteItem) or look at the reconciler's sweep.
 */
public final class UploadItems {

    public static final int OPEN_SHARDS = UploadTable.OPEN_SHARDS;
    public static final String SWEEP_ID = UploadTable.SWEEP_ID;

    private UploadItems() {}

    public static Map<String, AttributeValue> item(Upload upload) {
        return UploadTable.item(upload);
    }

    /** The open-index shard an upload id falls in, 0 to {@link #OPEN_SHARDS} - 1. */
    public static int shard(UUID id) {
        String name = UploadTable.shardOf(id);
        return Integer.parseInt(name.substring(name.indexOf('#') + 1));
    }
}
