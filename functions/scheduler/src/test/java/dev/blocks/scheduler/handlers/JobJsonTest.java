package dev.blocks.scheduler.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.validation.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shape of {@code POST /v1/jobs}: every field the route reads passes; anything else is named and refused. */
class JobJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> unknown(String body) throws Exception {
        JsonNode node = JSON.readTree(body);
        return JobJson.CREATE.unknown(node).stream().map(FieldError::field).toList();
    }

    @Test
    void everyDocumentedFieldOfEveryTargetKindPasses() throws Exception {
        assertThat(unknown("""
                {"name":"n","runAt":"2030-01-01T00:00:00Z","cron":"0 9 * * *","timeZone":"UTC","rate":"rate(5 minutes)",
                 "idempotencyKey":"k","maxAttempts":3,"overlap":"skip","payload":{"any":"json"},
                 "target":{"type":"http","url":"https://x.test/","method":"POST","headers":{"Authorization":"Bearer t"}}}""")).isEmpty();
        assertThat(unknown("{\"target\":{\"type\":\"sqs\",\"queue\":\"q\"}}")).isEmpty();
        assertThat(unknown("{\"target\":{\"type\":\"kafka\",\"topic\":\"t\"}}")).isEmpty();
        assertThat(unknown("{\"target\":{\"type\":\"lambda\",\"function\":\"f\"}}")).isEmpty();
    }

    @Test
    void thePayloadAndTheHeadersAreTheCallersOwnAndNotLookedInto() throws Exception {
        assertThat(unknown("{\"payload\":{\"url\":1,\"nested\":{\"whatever\":[{\"x\":1}]}},"
                + "\"target\":{\"type\":\"http\",\"url\":\"https://x.test/\",\"headers\":{\"X-Anything\":\"v\"}}}")).isEmpty();
        assertThat(unknown("{\"payload\":[1,2,{\"a\":true}]}")).isEmpty();
    }

    @Test
    void aMisplacedTargetOptionIsNamedWhereItWasFound() throws Exception {
        // "url" and "headers" beside "target" instead of inside it.
        assertThat(unknown("{\"target\":{\"type\":\"http\"},\"url\":\"https://x.test/\",\"headers\":{\"A\":\"b\"}}"))
                .containsExactly("url", "headers");
        // "overlap" inside the target instead of beside it.
        assertThat(unknown("{\"target\":{\"type\":\"sqs\",\"queue\":\"q\",\"overlap\":\"allow\"}}")).containsExactly("target.overlap");
    }

    @Test
    void misspeltFieldsAreEachNamed() throws Exception {
        assertThat(unknown("{\"cronExpression\":\"0 9 * * *\",\"maxAttempt\":3,\"target\":{\"type\":\"http\",\"header\":{},\"methd\":\"GET\"}}"))
                .containsExactly("cronExpression", "maxAttempt", "target.header", "target.methd");
    }

    @Test
    void checkThrowsA400ProblemListingThem() throws Exception {
        JsonNode body = JSON.readTree("{\"target\":{\"type\":\"sqs\",\"queue\":\"q\"},\"timezone\":\"UTC\"}");
        assertThatThrownBy(() -> JobJson.CREATE.check(body)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().errors()).extracting(FieldError::field).containsExactly("timezone");
        });
    }
}
