package dev.blocks.localcloud.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.blocks.localcloud.spec.RouteSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Terraform stack of the repository, planned for target local as the capabilities' tests and
 * {@code ./run-local} plan it, is accepted by the strict local cloud: no resource type or attribute it does not
 * emulate, nothing AWS would refuse at create time. Function zips need not exist: only their paths are read.
 */
class RepositoryStacksTest {

    private static final Path REPOSITORY = Fixtures.ROOT_STACK.resolve("../..").normalize();

    static Stream<Path> stacks() throws IOException {
        List<Path> stacks = new ArrayList<>();
        try (Stream<Path> capabilities = Files.list(REPOSITORY.resolve("functions"))) {
            capabilities.map(capability -> capability.resolve("terraform"))
                    .filter(Files::isDirectory)
                    .sorted()
                    .forEach(stacks::add);
        }
        stacks.add(Fixtures.TEST_FUNCTION);
        stacks.add(Fixtures.ROOT_STACK);
        return stacks.stream();
    }

    @Test
    void findsTheCapabilityStacksTheTestFunctionAndTheRootStack() throws IOException {
        assertThat(stacks().map(stack -> REPOSITORY.relativize(stack).toString())).contains(
                "functions/shortener/terraform", "functions/uploads/terraform", "localstack/test-function/terraform",
                "infra/terraform");
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void isAcceptedWithNothingUnsupportedOrRefused(Path stack) throws TerraformException {
        String json = Fixtures.plan(stack);

        assertThat(ResourceCatalogue.classify(Plan.parse(json)).unsupported()).as(stack.toString()).isEmpty();
        assertThatCode(() -> PlanReader.read(json, stack, false)).as(stack.toString()).doesNotThrowAnyException();
    }

    /**
     * The modules write {@code authorization_type = var.authorizer_id == null ? "NONE" : "JWT"}, unknown in a plan
     * when the authorizer is created with the stack: its routes must still be guarded locally, not served open.
     */
    @Test
    void guardsTheRoutesOfAModuleWhoseAuthorizationTypeIsOnlyKnownAfterApply() throws TerraformException {
        Path stack = REPOSITORY.resolve("functions/ratelimit/terraform");
        String json = new TerraformPlanRunner().planJson(stack, Map.of("jwt_issuer", "local-cloud://issuer"));

        List<RouteSpec> routes = PlanReader.read(json, stack, false).routes();

        assertThat(routes).isNotEmpty().allSatisfy(route -> {
            assertThat(route.authorizer()).as(route.routeKey()).isPresent();
            assertThat(route.authorizer().orElseThrow().issuer()).isEqualTo("local-cloud://issuer");
            assertThat(route.authorizer().orElseThrow().audiences()).containsExactly("ratelimit-it");
        });
        assertThat(PlanReader.read(Fixtures.plan(stack), stack, false).routes())
                .allSatisfy(route -> assertThat(route.authorizer()).as(route.routeKey()).isEmpty());
    }

    /**
     * The root stack creates its Kafka topics as it does on AWS, by invoking kafka-topics from the plan
     * (aws_lambda_invocation): the local cloud runs that invocation with every topic of the stack.
     */
    @Test
    void runsTheRootStacksTopicCreationAsTerraformDoes() throws Exception {
        var spec = PlanReader.read(Fixtures.plan(Fixtures.ROOT_STACK), Fixtures.ROOT_STACK, false);

        assertThat(spec.invocations()).singleElement().satisfies(invocation -> {
            assertThat(invocation.functionName()).isEqualTo("blocks-kafka-topics");
            var topics = new com.fasterxml.jackson.databind.ObjectMapper().readTree(invocation.input()).path("topics");
            assertThat(topics.findValuesAsText("name")).containsExactlyInAnyOrderElementsOf(spec.kafkaTopics());
        });
        assertThat(spec.functions()).anySatisfy(function -> assertThat(function.name()).isEqualTo("blocks-kafka-topics"));
    }

    /** The provider's region is the cloud's: ARNs Terraform builds and those the emulators report agree. */
    @Test
    void takesTheRegionFromTheProvider() throws TerraformException {
        Path stack = REPOSITORY.resolve("functions/ratelimit/terraform");

        assertThat(PlanReader.read(new TerraformPlanRunner().planJson(stack, Map.of("region", "eu-west-1")), stack,
                false).region()).isEqualTo("eu-west-1");
        assertThat(PlanReader.read(Fixtures.plan(stack), stack, false).region()).isEqualTo("us-east-1");
    }
}
