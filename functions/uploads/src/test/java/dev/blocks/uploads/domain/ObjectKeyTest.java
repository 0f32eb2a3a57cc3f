package dev.blocks.uploads.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectKeyTest {

    private static final UUID ID = UUID.fromString("0b3c5d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f");
    private static final Instant MARCH = Instant.parse("2026-03-31T23:59:59Z");

    @Test
    void layoutIsPrefixOwnerYearMonthId() {
        assertThat(ObjectKey.of("uploads/", "alice", MARCH, ID)).isEqualTo("uploads/alice/2026/03/" + ID);
    }

    @Test
    void ownersThatAreNotPlainBecomeAHash() {
        String key = ObjectKey.of("uploads/", "auth0|5f1/../bob", MARCH, ID);
        assertThat(key).matches("uploads/~[0-9a-f]{64}/2026/03/" + ID);
        assertThat(ObjectKey.ownerSegment("auth0|5f1/../bob")).isEqualTo(ObjectKey.ownerSegment("auth0|5f1/../bob"))
                .isNotEqualTo(ObjectKey.ownerSegment("auth0|5f1/../bob2"));
        for (String owner : new String[] {"..", ".", ".hidden", "Jürgen", "a b", "x".repeat(65), "~abc"}) {
            assertThat(ObjectKey.ownerSegment(owner)).as(owner).startsWith("~").hasSize(65);
        }
        assertThatThrownBy(() -> ObjectKey.ownerSegment("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theIdComesBackOnlyFromKeysOfThisLayout() {
        assertThat(ObjectKey.uploadIdOf("uploads/", ObjectKey.of("uploads/", "alice", MARCH, ID))).contains(ID);
        assertThat(ObjectKey.uploadIdOf("uploads/", ObjectKey.of("uploads/", "a|b", MARCH, ID))).contains(ID);
        assertThat(ObjectKey.uploadIdOf("uploads/", "other/alice/2026/03/" + ID)).isEmpty();
        assertThat(ObjectKey.uploadIdOf("uploads/", "uploads/alice/2026/13/" + ID)).isEmpty();
        assertThat(ObjectKey.uploadIdOf("uploads/", "uploads/alice/2026/03/" + ID + "/x")).isEmpty();
        assertThat(ObjectKey.uploadIdOf("uploads/", "uploads/a/b/2026/03/" + ID)).isEmpty();
        assertThat(ObjectKey.uploadIdOf("uploads/", "uploads/alice/2026/03/" + ID.toString().toUpperCase())).isEmpty();
        assertThat(ObjectKey.uploadIdOf("uploads/", null)).isEmpty();
    }

    @Test
    void prefixMustBeAFolder() {
        assertThatThrownBy(() -> ObjectKey.of("uploads", "a", MARCH, ID)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectKey.of("/uploads/", "a", MARCH, ID)).isInstanceOf(IllegalArgumentException.class);
    }
}
