package dev.blocks.localcloud.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.FunctionSpec;
import dev.blocks.localcloud.spec.FunctionSpec.AsyncInvokeConfig;
import dev.blocks.localcloud.spec.FunctionSpec.Destination;
import dev.blocks.localcloud.spec.ScheduleSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** aws_lambda_function_event_invoke_config and dead_letter_config, read from real plans. */
class PlanReaderAsyncTest {

    @Test
    void readsRetriesEventAgeDestinationsAndDeadLetterQueuesThroughReferences() throws TerraformException {
        Path fixture = Fixtures.fixture("async");
        CloudSpec spec = PlanReader.read(Fixtures.plan(fixture), fixture);

        assertThat(async(spec, "worker")).isEqualTo(new AsyncInvokeConfig(1, Duration.ofSeconds(120),
                Optional.of(Destination.function("reporter")), Optional.of(Destination.queue("worker-failures")),
                Optional.empty()));
        assertThat(async(spec, "reporter")).isEqualTo(
                AsyncInvokeConfig.DEFAULTS.withDeadLetterQueue(Optional.of("reporter-dead-letters")));
        assertThat(async(spec, "plain")).isEqualTo(AsyncInvokeConfig.DEFAULTS);
        assertThat(AsyncInvokeConfig.DEFAULTS.maximumRetryAttempts()).isEqualTo(2);
        assertThat(AsyncInvokeConfig.DEFAULTS.maximumEventAge()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void readsSchedulerSchedulesWithTheirGroupInputAndOneTimeExpressions() throws TerraformException {
        Path fixture = Fixtures.fixture("async");
        CloudSpec spec = PlanReader.read(Fixtures.plan(fixture), fixture);

        assertThat(spec.schedules()).containsExactly(
                new ScheduleSpec("worker-hourly", "rate(1 hour)", "worker", true,
                        Optional.of("{\"job\":\"sweep\",\"at\":\"<aws.scheduler.scheduled-time>\"}"),
                        Optional.of("default")),
                new ScheduleSpec("year-end", "at(2030-12-31T23:00:00)", "reporter", true, Optional.empty(),
                        Optional.of("reports")));
    }

    @Test
    void refusesDestinationsAndDeadLetterTargetsItDoesNotEmulate() throws TerraformException {
        Path fixture = Fixtures.fixture("async-miswired");
        String plan = Fixtures.plan(fixture);

        PlanWiringException failure = catchThrowableOfType(PlanWiringException.class,
                () -> PlanReader.read(plan, fixture));

        assertThat(failure).isNotNull();
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem).startsWith(
                "aws_lambda_function_event_invoke_config.worker: destination_config.0.on_failure.0.destination is an"
                        + " sns destination"));
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem).startsWith(
                "aws_lambda_function_event_invoke_config.worker: destination_config.0.on_success.0.destination is an"
                        + " events destination"));
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem).startsWith(
                "aws_lambda_function.worker: dead_letter_config.0.target_arn is an sns destination"));
    }

    private static AsyncInvokeConfig async(CloudSpec spec, String function) {
        return spec.functions().stream().filter(f -> f.name().equals(function)).findFirst()
                .map(FunctionSpec::async).orElseThrow();
    }
}
