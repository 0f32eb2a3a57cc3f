package dev.blocks.kit.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String of(String route, String json) throws Exception {
        return RequestFingerprint.of(route, JSON.readTree(json));
    }

    @Test
    void memberOrderAndWhitespaceDoNotMatterAnythingElseDoes() throws Exception {
        String base = of("POST /v1/events", "{\"type\":\"a.b\",\"payload\":{\"x\":1,\"y\":[1,2]}}");
        assertThat(of("POST /v1/events", "{ \"payload\": {\"y\": [1, 2], \"x\": 1}, \"type\": \"a.b\" }")).isEqualTo(base);
        assertThat(base).startsWith("sha256:");

        assertThat(of("POST /v1/events", "{\"type\":\"a.b\",\"payload\":{\"x\":2,\"y\":[1,2]}}")).isNotEqualTo(base);
        assertThat(of("POST /v1/events", "{\"type\":\"a.b\",\"payload\":{\"x\":1,\"y\":[2,1]}}")).isNotEqualTo(base);
        assertThat(of("POST /v1/events", "{\"type\":\"a.b\",\"payload\":{\"x\":\"1\",\"y\":[1,2]}}")).isNotEqualTo(base);
        assertThat(of("POST /v1/other", "{\"type\":\"a.b\",\"payload\":{\"x\":1,\"y\":[1,2]}}")).isNotEqualTo(base);
        // A name cannot pass for a value: {"a":"b,c"} and {"a":"b","c":...} differ.
        assertThat(of("r", "{\"a\":\"b\\\",\\\"c\\\":\\\"d\"}")).isNotEqualTo(of("r", "{\"a\":\"b\",\"c\":\"d\"}"));
    }
}
