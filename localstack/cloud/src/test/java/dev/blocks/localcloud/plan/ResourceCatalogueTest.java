package dev.blocks.localcloud.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.FunctionSpec;
import dev.blocks.localcloud.spec.QueueMappingSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resource types and attributes the local cloud does not emulate stop its start with one message listing them
 * all, unless lenient; those it ignores on purpose are listed, one line per type with a count and the reason.
 */
class ResourceCatalogueTest {

    private static final Path FIXTURE = Fixtures.fixture("unsupported");

    private static String plan;
    private static ResourceCatalogue.Findings findings;

    @BeforeAll
    static void classifyTheFixture() throws TerraformException {
        plan = Fixtures.plan(FIXTURE);
        findings = ResourceCatalogue.classify(Plan.parse(plan));
    }

    @Test
    void listsEachIgnoredTypeAndAttributeOnceWithItsCountAndReason() {
        assertThat(findings.ignored()).containsExactly(
                "1 aws_apigatewayv2_stage: " + ResourceCatalogue.IGNORED.get("aws_apigatewayv2_stage"),
                "1 aws_cloudwatch_log_group: " + ResourceCatalogue.IGNORED.get("aws_cloudwatch_log_group"),
                "2 aws_cloudwatch_metric_alarm: " + ResourceCatalogue.IGNORED.get("aws_cloudwatch_metric_alarm"),
                "1 aws_iam_role: IAM is not enforced locally: functions may call every emulated service (the stacks'"
                        + " policy tests audit what AWS would allow)",
                "1 aws_lambda_function.vpc_config: network placement: locally every function reaches the emulators"
                        + " on loopback");
    }

    @Test
    void refusesAnUnsupportedResourceType() {
        assertThat(findings.unsupported()).contains("aws_lambda_function_url.worker: resource type"
                + " aws_lambda_function_url is not emulated by the local cloud (nor known to be safe to ignore)");
    }

    @Test
    void refusesFunctionSettingsItDoesNotEmulate() {
        assertThat(findings.unsupported()).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_lambda_function.worker: layers is not supported by the local cloud"));
        assertThat(findings.unsupported()).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_lambda_function.worker: ephemeral_storage is not supported by the local cloud"));
        assertThat(findings.unsupported()).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_lambda_function.worker: file_system_config is not supported by the local cloud"));
    }

    @Test
    void refusesMappingFiltersButHonoursAMaximumConcurrency() {
        assertThat(findings.unsupported()).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_lambda_event_source_mapping.jobs: filter_criteria is not supported"));
        assertThat(findings.unsupported()).noneSatisfy(problem -> assertThat(problem).contains("scaling_config"));
    }

    @Test
    void refusesApiGatewayCorsAndANamedStage() {
        assertThat(findings.unsupported()).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_apigatewayv2_api.http: cors_configuration is not supported"));
        assertThat(findings.unsupported()).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_apigatewayv2_stage.prod: name is not supported")
                .contains("/<stage>"));
    }

    @Test
    void nothingElseIsUnsupported() {
        assertThat(findings.unsupported()).hasSize(7);
    }

    @Test
    void startUpFailsWithOneMessageListingThemAll() {
        PlanWiringException failure = catchThrowableOfType(PlanWiringException.class,
                () -> PlanReader.read(plan, FIXTURE));

        assertThat(failure).isNotNull();
        assertThat(failure.problems()).containsExactlyInAnyOrderElementsOf(findings.unsupported());
        findings.unsupported().forEach(problem -> assertThat(failure.getMessage()).contains(problem));
    }

    @Test
    void lenientStartsWithWhatItCanRun() {
        CloudSpec spec = PlanReader.read(plan, FIXTURE, true);

        assertThat(spec.functions()).extracting(FunctionSpec::name).containsExactly("worker");
        assertThat(spec.queueMappings()).containsExactly(new QueueMappingSpec("jobs", "worker", 10, 0, false, true, 2));
    }
}
