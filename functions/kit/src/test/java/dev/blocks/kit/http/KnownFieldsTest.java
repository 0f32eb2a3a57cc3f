package dev.blocks.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.validation.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownFieldsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final KnownFields SOURCE = KnownFields.of("scheme", "secrets")
            .with("hmac", KnownFields.of("header", "prefix"))
            .with("rules", KnownFields.of("limit", "window"))
            .open("metadata");

    @Test
    void aBodyOfKnownFieldsPasses() {
        JsonNode body = json("""
                {"scheme":"hmac","secrets":["s"],"hmac":{"header":"x-sig","prefix":"sha256="},
                 "rules":[{"limit":1},{"window":"1s"}],"metadata":{"anything":{"goes":true}}}""");
        assertThat(SOURCE.unknown(body)).isEmpty();
        SOURCE.check(body);
    }

    @Test
    void aMisplacedOptionIsNamedWhereItWasFound() {
        JsonNode body = json("""
                {"scheme":"hmac","header":"x-sig","hmac":{"prefix":"p","algoritm":"sha512"}}""");
        assertThat(SOURCE.unknown(body)).extracting(FieldError::field)
                .containsExactly("header", "hmac.algoritm");
    }

    @Test
    void eachObjectOfAnArrayIsChecked() {
        JsonNode body = json("""
                {"rules":[{"limit":1},{"limt":2},"not an object"]}""");
        assertThat(SOURCE.unknown(body)).containsExactly(new FieldError("rules[1].limt", "unknown field"));
    }

    @Test
    void checkThrowsOneValidationProblemListingEveryUnknownField() {
        JsonNode body = json("""
                {"a":1,"b":2,"scheme":"x"}""");
        assertThatThrownBy(() -> SOURCE.check(body))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    Problem problem = e.problem();
                    assertThat(problem.status()).isEqualTo(400);
                    assertThat(problem.errors()).extracting(FieldError::field).containsExactly("a", "b");
                    assertThat(problem.errors()).extracting(FieldError::message).containsOnly("unknown field");
                });
    }

    @Test
    void valuesOfTheWrongTypeAreLeftToTheHandler() {
        assertThat(SOURCE.unknown(json("""
                {"hmac":"not an object","rules":7}"""))).isEmpty();
        assertThat(SOURCE.unknown(json("[1,2]"))).isEmpty();
    }

    @Test
    void theAnswerStaysSmallWhateverTheBody() {
        StringBuilder body = new StringBuilder("{");
        for (int i = 0; i < 500; i++) {
            body.append(i == 0 ? "" : ",").append('"').append("x".repeat(1000)).append(i).append("\":1");
        }
        List<FieldError> errors = SOURCE.unknown(json(body.append('}').toString()));
        assertThat(errors).hasSize(20);
        assertThat(errors).allSatisfy(e -> assertThat(e.field().length()).isLessThanOrEqualTo(101));
    }

    @Test
    void shapesAreImmutable() {
        KnownFields base = KnownFields.of("a");
        KnownFields wider = base.with("b", KnownFields.of("c")).open("d");
        assertThat(base.unknown(json("{\"b\":{},\"d\":{}}"))).hasSize(2);
        assertThat(wider.unknown(json("{\"a\":1,\"b\":{\"c\":1},\"d\":{\"z\":1}}"))).isEmpty();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
