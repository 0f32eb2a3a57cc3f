package dev.blocks.uploads.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.uploads.domain.RoundRobinBatch.Cursor;
import dev.blocks.uploads.store.UploadTable.OpenPosition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The reconciler's sweep position as the uploads table stores it. */
class SweepPositionTest {

    private static Map<String, AttributeValue> stored(Cursor<OpenPosition> cursor) {
        Map<String, AttributeValue> values = UploadTable.sweepValues(cursor);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", AttributeValue.fromS(UploadTable.SWEEP_ID));
        item.put("first", values.get(":first"));
        item.put("positions", values.get(":positions"));
        return item;
    }

    @Test
    void aStoredSweepReadsBackAsItWasWritten() {
        List<Optional<OpenPosition>> positions = new ArrayList<>();
        for (int shard = 0; shard < UploadTable.OPEN_SHARDS; shard++) {
            positions.add(shard % 3 == 0 ? Optional.empty()
                    : Optional.of(new OpenPosition(1_700_000_000_000L + shard, "0b5f3c1e-0000-4000-8000-00000000000" + shard)));
        }
        Cursor<OpenPosition> cursor = new Cursor<>(5, positions);
        assertThat(UploadTable.sweep(stored(cursor))).isEqualTo(cursor);
    }

    @Test
    void noSweepYetStartsEveryShardAtItsBeginning() {
        assertThat(UploadTable.sweep(null)).isEqualTo(Cursor.start(UploadTable.OPEN_SHARDS));
        assertThat(UploadTable.sweep(Map.of())).isEqualTo(Cursor.start(UploadTable.OPEN_SHARDS));
    }

    @Test
    void anUnreadableSweepStartsOver() {
        Map<String, AttributeValue> item = stored(Cursor.start(UploadTable.OPEN_SHARDS));
        item.put("positions", AttributeValue.fromM(Map.of("2", AttributeValue.fromM(Map.of("createdAt", AttributeValue.fromS("x"))))));
        assertThat(UploadTable.sweep(item)).isEqualTo(Cursor.start(UploadTable.OPEN_SHARDS));
        item.put("positions", AttributeValue.fromS("not a map"));
        assertThat(UploadTable.sweep(item)).isEqualTo(Cursor.start(UploadTable.OPEN_SHARDS));
    }

    @Test
    void aSweepOfAnotherShardCountKeepsWhatStillFits() {
        Map<String, AttributeValue> item = stored(Cursor.start(UploadTable.OPEN_SHARDS));
        item.put("first", AttributeValue.fromN("11"));
        item.put("positions", AttributeValue.fromM(Map.of(
                "1", AttributeValue.fromM(Map.of("createdAt", AttributeValue.fromN("7"), "id", AttributeValue.fromS("a"))),
                "40", AttributeValue.fromM(Map.of("createdAt", AttributeValue.fromN("9"), "id", AttributeValue.fromS("b"))))));
        Cursor<OpenPosition> cursor = UploadTable.sweep(item);
        assertThat(cursor.first()).isEqualTo(11 % UploadTable.OPEN_SHARDS);
        assertThat(cursor.positions().get(1)).contains(new OpenPosition(7, "a"));
        assertThat(cursor.positions()).hasSize(UploadTable.OPEN_SHARDS).filteredOn(Optional::isPresent).hasSize(1);
    }
}
