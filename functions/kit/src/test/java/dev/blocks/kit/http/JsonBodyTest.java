package dev.blocks.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.blocks.kit.validation.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

    @Test
    void readsAnObject() {
        assertThat(JsonBody.object(request("{\"a\":{\"b\":[1,2]}}"), 1024).path("a").path("b").size()).isEqualTo(2);
    }

    @Test
    void aDuplicateKeyIsA400NamingIt() {
        assertThatThrownBy(() -> JsonBody.object(request("{\"url\":\"a\",\"url\":\"b\"}"), 1024))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.problem().errors()).containsExactly(new FieldError("url", "duplicate field"));
                });
    }

    @Test
    void aDuplicateKeyInANestedObjectIsRefusedToo() {
        assertThat(status("{\"hmac\":{\"header\":\"a\",\"header\":\"b\"}}")).isEqualTo(400);
    }

    @Test
    void trailingContentIsMalformed() {
        assertThatThrownBy(() -> JsonBody.object(request("{\"a\":1}{\"a\":2}"), 1024))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(400));
    }

    @Test
    void deepNestingIsA400NotAStackOverflow() {
        String deep = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThatThrownBy(() -> JsonBody.object(request(deep), 1 << 20))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(400));
    }

    @Test
    void valuesThatWouldNotReadBackAsSentAreRefusedWithTheirPlace() {
        // 1e309 is past a double's range (Jackson would write the string "Infinity"); \ud800 is half a character
        assertThat(field("{\"a\":[1,{\"b\":1e309}]}")).isEqualTo("a[1].b: numbers must be within the range of a double");
        assertThat(field("{\"n\":-1e309}")).startsWith("n: numbers");
        assertThat(field("{\"a\":\"x\\ud800\"}")).startsWith("a: text must be Unicode");
        assertThat(field("{\"a\":[\"\\udc00y\"]}")).startsWith("a[0]: text must be Unicode");
        // a name with half a character: refused, whether by the parser or by the check
        assertThat(status("{\"p\":{\"\\ud800\":1}}")).isEqualTo(400);
        // what reads back as sent passes: a pair, huge whole numbers (kept exact), tiny fractions, deep documents
        assertThat(status("{\"a\":\"\\ud83d\\ude00 é\",\"b\":123456789012345678901234567890,"
                + "\"c\":1e-400,\"d\":[[[{\"e\":null}]]]}")).isEqualTo(200);
    }

    private static String field(String body) {
        try {
            JsonBody.object(request(body), 1024);
            return "accepted";
        } catch (ProblemException e) {
            FieldError error = e.problem().errors().get(0);
            return error.field() + ": " + error.message();
        }
    }

    @Test
    void otherMistakesKeepTheirAnswers() {
        assertThat(status("")).isEqualTo(400);
        assertThat(status("[1]")).isEqualTo(400);
        assertThat(status("{\"a\":")).isEqualTo(400);
        assertThat(status("{\"a\":\"" + "x".repeat(2000) + "\"}")).isEqualTo(413);
    }

    private static int status(String body) {
        try {
            JsonBody.object(request(body), 1024);
            return 200;
        } catch (ProblemException e) {
            return e.problem().status();
        }
    }

    private static HttpRequest request(String body) {
        return new HttpRequest("POST /v1/things", "POST", "/v1/things", Map.of("content-type", "application/json"),
                Map.of(), Map.of(), List.of(), body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", "r-1", Map.of());
    }
}
