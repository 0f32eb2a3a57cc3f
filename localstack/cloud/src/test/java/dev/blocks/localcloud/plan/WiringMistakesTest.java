package dev.blocks.localcloud.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A wiring mistake in Terraform fails the local cloud's start, with a message naming resource and attribute. */
class WiringMistakesTest {

    private static List<String> problems;

    @BeforeAll
    static void readMiswiredPlan() throws TerraformException {
        String plan = Fixtures.plan(Fixtures.MISWIRED);
        PlanWiringException failure = catchThrowableOfType(PlanWiringException.class,
                () -> PlanReader.read(plan, Fixtures.MISWIRED));
        assertThat(failure).as("reading a miswired plan").isNotNull();
        assertThat(failure.getMessage()).contains(failure.problems().get(0));
        problems = failure.problems();
    }

    @Test
    void aRouteWhoseTargetIsNoIntegrationOfThePlan() {
        assertThat(problems).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_apigatewayv2_route.without_integration (POST /jobs): target does not reference an"
                        + " aws_apigatewayv2_integration"));
    }

    @Test
    void anIntegrationThatPointsAtAnUndefinedFunction() {
        assertThat(problems).contains("aws_apigatewayv2_integration.nowhere: integration_uri names function"
                + " \"wroker\", which the plan does not define");
    }

    @Test
    void aMappingToAnUndefinedQueue() {
        assertThat(problems).contains("aws_lambda_event_source_mapping.undefined_queue: event_source_arn names"
                + " queue \"jbos\", which the plan does not define");
    }

    @Test
    void aNotificationToAnUndefinedQueue() {
        assertThat(problems).contains("aws_s3_bucket_notification.uploads: queue.0.queue_arn names queue"
                + " \"upload-events\", which the plan does not define");
    }

    @Test
    void environmentVariablesComputedAtApplyTime() {
        assertThat(problems).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_lambda_function.worker: environment.variables is only known after apply"));
    }

    @Test
    void aRedrivePolicyThatUsesTheComputedArnOfItsDeadLetterQueue() {
        assertThat(problems).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_sqs_queue.jobs: redrive_policy is only known after apply"));
    }

    @Test
    void nothingElse() {
        assertThat(problems).hasSize(6);
    }
}
