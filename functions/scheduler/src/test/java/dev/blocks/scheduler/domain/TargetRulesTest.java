package dev.blocks.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.blocks.kit.net.OutboundGuard;
import dev.blocks.kit.validation.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The allow-lists of queue, topic and function targets, at creation and again at delivery. */
class TargetRulesTest {

    private static final OutboundGuard NO_PRIVATE = new OutboundGuard(Set.of(), host -> List.of());

    /** What an operator could list by mistake: names of this stack sit on every list beside legitimate ones. */
    private final TargetRules rules = new TargetRules("blocks", Set.of("blocks-jobs-worker"), NO_PRIVATE,
            Set.of("ext-reports", "blocks-api-keys", "blocks-jobs-worker"),
            Set.of("ext-work", "ext-work.fifo", "blocks-jobs-runs"),
            Set.of("ext-events", "blocks-webhooks-inbound"));

    private static JobDraft.TargetDraft draft(String type, String name) {
        return switch (type) {
            case "sqs" -> new JobDraft.TargetDraft("sqs", name, null, null, null, null, null);
            case "kafka" -> new JobDraft.TargetDraft("kafka", null, name, null, null, null, null);
            default -> new JobDraft.TargetDraft("lambda", null, null, null, null, null, name);
        };
    }

    private List<FieldError> violations(String type, String name) {
        List<FieldError> violations = new ArrayList<>();
        Target target = rules.validate(draft(type, name), violations);
        assertThat(target == null).as("a target exactly when there is no violation").isEqualTo(!violations.isEmpty());
        return violations;
    }

    @ParameterizedTest
    @CsvSource({"sqs, ext-work", "sqs, ext-work.fifo", "kafka, ext-events", "lambda, ext-reports"})
    void listedTargetsPass(String type, String name) {
        assertThat(violations(type, name)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"sqs, target.queue, other-queue", "kafka, target.topic, other-topic", "lambda, target.function, someone-elses-function"})
    void unlistedTargetsAreRefusedNamingTheField(String type, String field, String name) {
        assertThat(violations(type, name)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.message()).contains("not on this deployment's list");
        });
    }

    @ParameterizedTest
    @CsvSource({"sqs, target.queue, blocks-jobs-runs", "kafka, target.topic, blocks-webhooks-inbound",
            "lambda, target.function, blocks-api-keys", "lambda, target.function, blocks-jobs-worker"})
    void namesOfThisStackAreRefusedEvenWhenListed(String type, String field, String name) {
        assertThat(violations(type, name)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.message()).contains("of this deployment");
        });
    }

    @ParameterizedTest
    @CsvSource({"sqs, target.queue, ext-*", "kafka, target.topic, ext-?", "lambda, target.function, *",
            "lambda, target.function, arn:aws:lambda:us-east-1:1:function:ext-reports"})
    void aTargetNameIsNeverAPattern(String type, String field, String name) {
        assertThat(violations(type, name)).singleElement().extracting(FieldError::field).isEqualTo(field);
    }

    @Test
    void anAllowListWithAWildcardOrAnArnIsAConfigurationError() {
        assertThatThrownBy(() -> new TargetRules("blocks", Set.of(), NO_PRIVATE, Set.of("ext-*"), Set.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed-functions");
        assertThatThrownBy(() -> new TargetRules("blocks", Set.of(), NO_PRIVATE, Set.of(), Set.of("ext-?"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed-queues");
        assertThatThrownBy(() -> new TargetRules("blocks", Set.of(), NO_PRIVATE, Set.of(), Set.of(),
                Set.of("arn:aws:kafka:us-east-1:1:topic/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed-topics");
    }

    /** A job created while a target was listed is refused at delivery once the list no longer names it. */
    @Test
    void deliveryChecksTheListsAsTheyAreNow() {
        TargetRules tightened = new TargetRules("blocks", Set.of(), NO_PRIVATE, Set.of(), Set.of("ext-work"), Set.of());

        assertThat(tightened.deliveryRefusal(new Target.Queue("ext-work"))).isEmpty();
        assertThat(tightened.deliveryRefusal(new Target.Function("ext-reports"))).get().asString().contains("not on");
        assertThat(tightened.deliveryRefusal(new Target.Topic("ext-events"))).isPresent();
        assertThat(tightened.deliveryRefusal(new Target.Queue("blocks-jobs-runs"))).isPresent();
        assertThat(tightened.deliveryRefusal(new Target.Http("http://10.0.0.1/", "POST", java.util.Map.of()))).isPresent();
    }
}
