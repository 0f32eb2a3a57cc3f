package dev.blocks.uploads.domain;

import static dev.blocks.uploads.domain.PartPlan.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.blocks.kit.validation.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeclarationTest {

    private static final UploadLimits LIMITS = new UploadLimits(50L * 1024 * MIB, 100 * MIB, 8 * MIB, 100);
    private static final ContentTypePolicy TYPES = new ContentTypePolicy(Map.of(
            "default", List.of("*/*"), "avatar", List.of("image/png")));

    @Test
    void aGoodDeclaration() {
        Declaration d = Declaration.check("../my photo.png", 1234L, "Image/PNG", "A".repeat(64), "avatar", LIMITS, TYPES);
        assertThat(d.filename()).isEqualTo("my photo.png");
        assertThat(d.contentType().toString()).isEqualTo("image/png");
        assertThat(d.sha256()).contains(new Sha256("a".repeat(64)));
        assertThat(d.purpose()).isEqualTo("avatar");
    }

    @Test
    void purposeDefaultsToDefault() {
        assertThat(Declaration.check("a", 0L, "x/y", null, null, LIMITS, TYPES).purpose()).isEqualTo("default");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Declaration.Invalid invalid = catchThrowableOfType(Declaration.Invalid.class,
                () -> Declaration.check(" ", LIMITS.maxSize() + 1, "image/gif", "xyz", "avatar", LIMITS, TYPES));
        assertThat(invalid.problems()).extracting(FieldError::field)
                .containsExactly("filename", "size", "contentType", "sha256");
    }

    @Test
    void missingFieldsAndUnknownPurposes() {
        Declaration.Invalid invalid = catchThrowableOfType(Declaration.Invalid.class,
                () -> Declaration.check(null, null, null, null, "nope", LIMITS, TYPES));
        assertThat(invalid.problems()).extracting(FieldError::field)
                .containsExactly("filename", "size", "purpose", "contentType");
        Declaration.Invalid negative = catchThrowableOfType(Declaration.Invalid.class,
                () -> Declaration.check("a", -1L, "not a type", null, null, LIMITS, TYPES));
        assertThat(negative.problems()).extracting(FieldError::field).containsExactly("size", "contentType");
    }

    @Test
    void methodsFollowTheThreshold() {
        assertThat(LIMITS.methodFor(100 * MIB - 1, false)).isEqualTo(UploadMethod.PUT);
        assertThat(LIMITS.methodFor(100 * MIB - 1, true)).isEqualTo(UploadMethod.POST);
        assertThat(LIMITS.methodFor(100 * MIB, true)).isEqualTo(UploadMethod.MULTIPART);
        assertThat(LIMITS.methodFor(0, false)).isEqualTo(UploadMethod.PUT);
    }

    @Test
    void limitsRefuseWhatS3Refuses() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new UploadLimits(0, 1, 8 * MIB, 1)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new UploadLimits(MIB, 6L * 1024 * MIB, 8 * MIB, 1)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new UploadLimits(MIB, MIB, 4 * MIB, 1)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new UploadLimits(MIB, MIB, 8 * MIB, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
