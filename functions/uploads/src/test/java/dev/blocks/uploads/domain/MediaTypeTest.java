package dev.blocks.uploads.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypeTest {

    @Test
    void canonicalSpelling() {
        assertThat(MediaType.parse("Image/PNG").orElseThrow().toString()).isEqualTo("image/png");
        assertThat(MediaType.parse("text/plain;Charset=UTF-8 ;  format=flowed").orElseThrow().toString())
                .isEqualTo("text/plain; charset=UTF-8; format=flowed");
        assertThat(MediaType.parse("application/vnd.openxmlformats-officedocument.wordprocessingml.document")).isPresent();
        assertThat(MediaType.parse("text/plain; name=\"a b.txt\"").orElseThrow().parameters()).containsExactly("name=\"a b.txt\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "png", "image/", "/png", "image/png/x", "image /png", "image/png;", "image/png; x",
            "image/png; =x", "text/html\r\nX-Evil: 1", "a/b; c=\"unterminated", "ima ge/png", "image/p\u00e9g"})
    void refusesWhatIsNoMediaType(String text) {
        assertThat(MediaType.parse(text)).isEmpty();
    }

    @Test
    void refusesOverlongTypes() {
        assertThat(MediaType.parse("a/" + "b".repeat(300))).isEmpty();
        assertThat(MediaType.parse(null)).isEmpty();
    }

    @Test
    void policiesMatchOnTheEssence() {
        ContentTypePolicy policy = new ContentTypePolicy(Map.of(
                "avatar", List.of("image/png", "image/jpeg"),
                "document", List.of("application/pdf", "text/*"),
                "default", List.of("*/*")));
        assertThat(policy.allows("avatar", MediaType.parse("IMAGE/PNG").orElseThrow())).isTrue();
        assertThat(policy.allows("avatar", MediaType.parse("image/gif").orElseThrow())).isFalse();
        assertThat(policy.allows("document", MediaType.parse("text/csv; charset=utf-8").orElseThrow())).isTrue();
        assertThat(policy.allows("document", MediaType.parse("textual/csv").orElseThrow())).isFalse();
        assertThat(policy.allows("default", MediaType.parse("application/x-whatever").orElseThrow())).isTrue();
        assertThat(policy.allows("unknown", MediaType.parse("image/png").orElseThrow())).isFalse();
        assertThat(policy.knows("unknown")).isFalse();
        assertThat(policy.purposes()).containsExactly("avatar", "default", "document");
    }

    @Test
    void policiesRefuseMalformedPatterns() {
        for (String bad : List.of("image", "image/png; q=1", "*/png", "")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ContentTypePolicy(Map.of("p", List.of(bad))))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void policiesReadFromOneSetting() {
        ContentTypePolicy policy = ContentTypePolicy.parse("default=*/*; image = image/png, image/jpeg ;;document=application/pdf");
        assertThat(policy.purposes()).containsExactly("default", "document", "image");
        assertThat(policy.patterns("image")).containsExactly("image/png", "image/jpeg");
        for (String bad : List.of("image", "=image/png", "a=x/y;a=x/z")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContentTypePolicy.parse(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
