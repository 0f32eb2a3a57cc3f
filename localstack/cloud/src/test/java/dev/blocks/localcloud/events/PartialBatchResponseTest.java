package dev.blocks.localcloud.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PartialBatchResponseTest {

    private static final Set<String> BATCH = Set.of("m1", "m2", "m3");

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "{}", "{\"batchItemFailures\":null}", "{\"batchItemFailures\":[]}",
            "{\"statusCode\":200}"})
    void answersWithoutFailuresMeanTheWholeBatchSucceeded(String answer) throws Exception {
        assertThat(PartialBatchResponse.failedMessageIds(bytes(answer), BATCH)).isEmpty();
    }

    @Test
    void reportedItemsAreTheOnlyFailures() throws Exception {
        String answer = "{\"batchItemFailures\":[{\"itemIdentifier\":\"m2\"},{\"itemIdentifier\":\"m3\"}]}";
        assertThat(PartialBatchResponse.failedMessageIds(bytes(answer), BATCH)).containsExactly("m2", "m3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "\"ok\"", "[]", "{\"batchItemFailures\":{}}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":null}]}",
            "{\"batchItemFailures\":[{\"messageId\":\"m1\"}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"m9\"}]}"})
    void answersLambdaCannotTrustFailTheWholeBatch(String answer) {
        assertThatThrownBy(() -> PartialBatchResponse.failedMessageIds(bytes(answer), BATCH))
                .isInstanceOf(PartialBatchResponse.Invalid.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
