package dev.blocks.uploads.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerificationTest {

    private static final MediaType PDF = MediaType.parse("application/pdf").orElseThrow();
    private static final Sha256 A = new Sha256("a".repeat(64));
    private static final Sha256 B = new Sha256("b".repeat(64));

    @Test
    void matchingObjectIsAcceptedAndItsDigestVerified() {
        Verification v = Verification.of(100, PDF, Optional.of(A), new StoredObject(100, "application/pdf", "e", Optional.of(A)));
        assertThat(v.accepted()).isTrue();
        assertThat(v.sha256Verified()).isTrue();
    }

    @Test
    void anotherSizeIsAMismatch() {
        Verification v = Verification.of(100, PDF, Optional.empty(), new StoredObject(99, "application/pdf", "e", Optional.empty()));
        assertThat(v.accepted()).isFalse();
        assertThat(v.mismatches()).containsExactly("size is 99 bytes, 100 were declared");
    }

    @Test
    void anotherTypeIsAMismatchButSpellingIsNot() {
        assertThat(Verification.of(1, PDF, Optional.empty(), new StoredObject(1, "Application/PDF", "e", Optional.empty())).accepted()).isTrue();
        assertThat(Verification.of(1, PDF, Optional.empty(), new StoredObject(1, "text/html", "e", Optional.empty())).mismatches())
                .containsExactly("content type is text/html, application/pdf was declared");
        assertThat(Verification.of(1, PDF, Optional.empty(), new StoredObject(1, null, "e", Optional.empty())).accepted()).isFalse();
    }

    @Test
    void anotherDigestIsAMismatch() {
        Verification v = Verification.of(1, PDF, Optional.of(A), new StoredObject(1, "application/pdf", "e", Optional.of(B)));
        assertThat(v.accepted()).isFalse();
        assertThat(v.sha256Verified()).isFalse();
    }

    @Test
    void anUnknownDigestIsAcceptedButNeverVerified() {
        Verification v = Verification.of(1, PDF, Optional.of(A), new StoredObject(1, "application/pdf", "e", Optional.empty()));
        assertThat(v.accepted()).isTrue();
        assertThat(v.sha256Verified()).isFalse();
        Verification undeclared = Verification.of(1, PDF, Optional.empty(), new StoredObject(1, "application/pdf", "e", Optional.of(A)));
        assertThat(undeclared.sha256Verified()).isFalse();
    }

    @Test
    void everyMismatchIsReported() {
        Verification v = Verification.of(1, PDF, Optional.of(A), new StoredObject(2, "text/plain", "e", Optional.of(B)));
        assertThat(v.mismatches()).hasSize(3);
    }
}
