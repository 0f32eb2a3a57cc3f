package dev.blocks.localcloud.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

class ApiFuzzTest {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @Test
    void bodiesMixObjectsOfTheRoutesFieldsWithDuplicatesAndNonObjects() {
        List<String> bodies = sample(ApiFuzz.bodies("url", "alias"), 400);
        long objectsWithAField = bodies.stream().map(ApiFuzzTest::parse)
                .filter(node -> node != null && node.isObject() && (node.has("url") || node.has("alias"))).count();
        long unreadable = bodies.stream().filter(body -> parse(body) == null).count();
        long duplicates = bodies.stream().filter(body -> parse(body) == null && lenientObject(body)).count();
        assertThat(objectsWithAField).isGreaterThan(100);
        assertThat(unreadable).isGreaterThan(0);
        assertThat(duplicates).isGreaterThan(0);
    }

    @Test
    void mutationsChangeOneThingOfAValidBodyAndKeepTheRest() {
        String valid = "{\"url\":\"https://example.com/a\",\"limits\":{\"max\":3},\"tags\":[\"x\",\"y\"]}";
        JsonNode seed = parse(valid);
        List<String> mutations = sample(ApiFuzz.mutationsOf(valid), 600);
        long changedUrlOnly = 0;
        long urlLeftOut = 0;
        long duplicateKeys = 0;
        long unknownSibling = 0;
        long nestedChanged = 0;
        for (String body : mutations) {
            JsonNode node = parse(body);
            if (node == null) {
                duplicateKeys += lenientObject(body) ? 1 : 0;
                continue;
            }
            if (!node.has("url")) {
                urlLeftOut++;
            } else if (!node.get("url").equals(seed.get("url")) && node.get("limits").equals(seed.get("limits"))
                    && node.get("tags").equals(seed.get("tags"))) {
                changedUrlOnly++;
            }
            if (node.size() > seed.size()) {
                unknownSibling++;
            }
            if (node.has("url") && node.get("url").equals(seed.get("url"))
                    && (!seed.get("limits").equals(node.get("limits")) || !seed.get("tags").equals(node.get("tags")))) {
                nestedChanged++;
            }
        }
        assertThat(changedUrlOnly).as("one field's value replaced, the others intact").isGreaterThan(10);
        assertThat(urlLeftOut).isGreaterThan(5);
        assertThat(duplicateKeys).isGreaterThan(5);
        assertThat(unknownSibling).isGreaterThan(5);
        assertThat(nestedChanged).as("nested values and array items are mutated too").isGreaterThan(30);
    }

    @Test
    void pathSegmentsHoldNoRawSpace() {
        assertThat(sample(ApiFuzz.pathSegments(), 300)).allSatisfy(segment -> assertThat(segment).doesNotContain(" "));
    }

    @Test
    void theVerdictRefusesA5xxAndAProblemThatIsNotOne() {
        assertThat(ApiFuzz.check("t", 200, "application/json", "{\"a\":1}").path("a").asInt()).isEqualTo(1);
        assertThat(ApiFuzz.check("t", 302, "", "")).isNull();
        assertThat(ApiFuzz.check("t", 400, "application/problem+json", "{\"status\":400}")).isNull();
        assertThatThrownBy(() -> ApiFuzz.check("t", 500, "application/problem+json", "{\"status\":500}"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiFuzz.check("t", 404, "text/plain", "Not Found")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiFuzz.check("t", 400, "application/problem+json", "{\"status\":422}"))
                .isInstanceOf(AssertionError.class);
        assertThat(ApiFuzz.report()).contains("[fuzz] t: 6 inputs").contains("2xx 1").contains("5xx 1");
    }

    private static <T> List<T> sample(Arbitrary<T> arbitrary, int count) {
        return arbitrary.sampleStream().limit(count).toList();
    }

    private static JsonNode parse(String body) {
        try {
            return STRICT.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean lenientObject(String body) {
        try {
            return new ObjectMapper().readTree(body).isObject();
        } catch (Exception e) {
            return false;
        }
    }
}
