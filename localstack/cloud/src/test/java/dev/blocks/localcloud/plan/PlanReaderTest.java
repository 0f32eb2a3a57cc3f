package dev.blocks.localcloud.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.blocks.localcloud.spec.BucketSpec;
import dev.blocks.localcloud.spec.BucketSpec.NotificationSpec;
import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.FunctionSpec;
import dev.blocks.localcloud.spec.JwtAuthorizerSpec;
import dev.blocks.localcloud.spec.KafkaMappingSpec;
import dev.blocks.localcloud.spec.KafkaMappingSpec.ErrorHandling;
import dev.blocks.localcloud.spec.QueueMappingSpec;
import dev.blocks.localcloud.spec.QueueSpec;
import dev.blocks.localcloud.spec.RouteSpec;
import dev.blocks.localcloud.spec.ScheduleSpec;
import dev.blocks.localcloud.spec.TableSpec;
import dev.blocks.localcloud.spec.TableSpec.IndexSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads the real plan of the local cloud's test deployment (localstack/test-function/terraform). */
class PlanReaderTest {

    private static final String JVM_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    private static CloudSpec spec;

    @BeforeAll
    static void readPlan() throws TerraformException {
        spec = PlanReader.read(Fixtures.plan(Fixtures.TEST_FUNCTION), Fixtures.TEST_FUNCTION);
    }

    @Test
    void readsTheRecordsTableWithItsIndexAndTimeToLive() {
        assertThat(spec.tables()).containsExactly(new TableSpec(
                "test-records", "pk", Optional.of("sk"), Map.of("pk", "S", "sk", "S", "kind", "S"),
                List.of(new IndexSpec("byKind", "kind", Optional.empty(), "ALL", List.of())),
                Optional.of("expiresAt")));
    }

    @Test
    void readsQueuesAndTheDeadLetterQueueFromTheConstructedArn() {
        assertThat(spec.queues()).containsExactly(
                new QueueSpec("test-s3-events", false, false, 0, 30, 345_600, Optional.empty(), 0),
                new QueueSpec("test-work", false, false, 0, 10, 345_600, Optional.of("test-work-dlq"), 3),
                new QueueSpec("test-work-dlq", false, false, 0, 30, 345_600, Optional.empty(), 0));
    }

    @Test
    void readsTheBucketAndItsQueueNotification() {
        assertThat(spec.buckets()).containsExactly(new BucketSpec("test-uploads",
                List.of(new NotificationSpec("test-s3-events", List.of("s3:ObjectCreated:*"), "", "")), List.of()));
    }

    @Test
    void readsFiveFunctionsOfOneArtifactEachWithItsRole() {
        assertThat(spec.functions()).extracting(FunctionSpec::name)
                .containsExactly("test-http", "test-invoke", "test-s3", "test-schedule", "test-sqs");
        for (FunctionSpec function : spec.functions()) {
            assertThat(function.runtime()).isEqualTo("java21");
            assertThat(function.handler()).isEqualTo(JVM_HANDLER);
            assertThat(function.artifact())
                    .isEqualTo(Fixtures.TEST_FUNCTION.resolveSibling("target").resolve("function.zip"));
            assertThat(function.environment()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "BLOCKS_FUNCTION", function.name(), "TESTFN_RECORDS_TABLE", "test-records"));
            assertThat(function.memoryMb()).isEqualTo(512);
            assertThat(function.reservedConcurrency()).isEqualTo(-1);
        }
        assertThat(spec.functions()).filteredOn(f -> f.name().equals("test-sqs"))
                .singleElement().extracting(FunctionSpec::timeoutSeconds).isEqualTo(10);
    }

    @Test
    void resolvesEveryRouteThroughItsIntegrationToTheHttpFunction() {
        assertThat(spec.routes()).containsExactly(
                new RouteSpec("ANY /files/{proxy+}", "test-http"),
                new RouteSpec("GET /hello/{name}", "test-http"),
                new RouteSpec("POST /echo", "test-http"));
    }

    @Test
    void readsQueueMappingsByConstructedArns() {
        assertThat(spec.queueMappings()).containsExactly(
                new QueueMappingSpec("test-s3-events", "test-s3", 10, 0, false, true),
                new QueueMappingSpec("test-work", "test-sqs", 10, 0, true, true));
    }

    @Test
    void readsTheKafkaMappingAndItsTopic() {
        assertThat(spec.kafkaMappings()).containsExactly(new KafkaMappingSpec(
                List.of("test-events"), "test-invoke", "test-invoke", 100, 0, "TRIM_HORIZON", true, true));
        assertThat(spec.kafkaTopics()).containsExactly("test-events");
    }

    @Test
    void readsTheScheduleRuleAndItsTarget() {
        assertThat(spec.schedules()).containsExactly(
                new ScheduleSpec("test-schedule", "rate(1 minute)", "test-schedule", true));
    }

    @Test
    void theRootStackIsWiredSoThatTheLocalCloudCanReadIt() throws TerraformException {
        String plan = Fixtures.plan(Fixtures.ROOT_STACK);

        assertThatCode(() -> PlanReader.read(plan, Fixtures.ROOT_STACK)).doesNotThrowAnyException();
    }

    @Test
    void followsReferencesThroughModuleInstancesAndTheirCountAndForEachKeys() throws TerraformException {
        CloudSpec scoped = PlanReader.read(Fixtures.plan(Fixtures.SCOPED), Fixtures.SCOPED);

        assertThat(scoped.routes()).containsExactly(
                new RouteSpec("DELETE /alpha/jobs", "alpha-1"),
                new RouteSpec("DELETE /beta/jobs", "beta-1"),
                new RouteSpec("GET /alpha/0", "alpha-0"),
                new RouteSpec("GET /alpha/1", "alpha-1"),
                new RouteSpec("GET /alpha/first", "alpha-0"),
                new RouteSpec("GET /beta/0", "beta-0"),
                new RouteSpec("GET /beta/1", "beta-1"),
                new RouteSpec("GET /beta/first", "beta-0"),
                new RouteSpec("POST /alpha/jobs", "alpha-0"),
                new RouteSpec("POST /beta/jobs", "beta-0"));
        assertThat(scoped.queueMappings()).containsExactly(
                new QueueMappingSpec("beta-jobs", "beta-0", 10, 0, false, true));
    }

    @Test
    void readsJwtAuthorizersTheirRoutesScopesAndIntegrationTimeouts() throws TerraformException {
        Path fixture = Fixtures.fixture("jwt");
        CloudSpec jwt = PlanReader.read(Fixtures.plan(fixture), fixture);

        JwtAuthorizerSpec users = new JwtAuthorizerSpec("users", List.of("$request.header.Authorization"),
                "http://127.0.0.1:9400", List.of("admin-console", "links-api"));
        assertThat(jwt.routes()).containsExactly(
                new RouteSpec("GET /health", "api", Optional.empty(), List.of(), RouteSpec.DEFAULT_TIMEOUT_MILLIS),
                new RouteSpec("GET /me", "api", Optional.of(users), List.of(), 5000),
                new RouteSpec("POST /links", "api", Optional.of(users), List.of("admin", "links:write"), 5000));
    }

    @Test
    void refusesRouteAuthorizationAndPayloadVersionsItCannotEmulate() throws TerraformException {
        Path fixture = Fixtures.fixture("jwt-miswired");
        String plan = Fixtures.plan(fixture);

        PlanWiringException failure = catchThrowableOfType(PlanWiringException.class,
                () -> PlanReader.read(plan, fixture));

        assertThat(failure).isNotNull();
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_apigatewayv2_route.iam (GET /iam): authorization_type AWS_IAM is not supported"));
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_apigatewayv2_route.lambda_authorized (GET /custom): authorization_type CUSTOM"));
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_apigatewayv2_route.jwt_without_authorizer (GET /jwt): authorization_type is JWT"
                        + " but authorizer_id does not reference an aws_apigatewayv2_authorizer"));
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("aws_apigatewayv2_authorizer.lambda: authorizer_type REQUEST is not supported"));
        assertThat(failure.problems()).contains("aws_apigatewayv2_integration.version_1 (for GET /v1):"
                + " payload_format_version 1.0; the local cloud serves payload format 2.0 only: set"
                + " payload_format_version = \"2.0\"");
    }

    @Test
    void readsTheErrorHandlingOfAProvisionedKafkaMappingAndKeepsTheDefaultsElsewhere() throws TerraformException {
        Path fixture = Fixtures.fixture("kafka-errors");
        CloudSpec kafka = PlanReader.read(Fixtures.plan(fixture), fixture);

        ErrorHandling clicks = new ErrorHandling(3, Optional.of(Duration.ofHours(1)), true, true,
                Optional.of("clicks-failed"));
        assertThat(kafka.kafkaMappings()).containsExactly(
                new KafkaMappingSpec(List.of("clicks"), "clicks", "group-0", 100, 0, "TRIM_HORIZON", true, true,
                        clicks),
                new KafkaMappingSpec(List.of("events"), "clicks", "group-1", 100, 0, "TRIM_HORIZON", true, true,
                        ErrorHandling.DEFAULTS));
        assertThat(ErrorHandling.DEFAULTS.effectiveRetryAttempts()).as("infinite by default").isEqualTo(-1);
        assertThat(new ErrorHandling(-1, Optional.empty(), false, false, Optional.of("q")).effectiveRetryAttempts())
                .as("Lambda caps infinite retries at 10 when there is an on-failure destination").isEqualTo(10);
    }

    @Test
    void refusesKafkaErrorHandlingWithoutProvisionedModeAndDestinationsItDoesNotEmulate() throws TerraformException {
        Path fixture = Fixtures.fixture("kafka-errors-miswired");
        String plan = Fixtures.plan(fixture);

        PlanWiringException failure = catchThrowableOfType(PlanWiringException.class,
                () -> PlanReader.read(plan, fixture));

        assertThat(failure).isNotNull();
        assertThat(failure.problems()).contains("aws_lambda_event_source_mapping.unprovisioned:"
                + " maximum_retry_attempts, bisect_batch_on_function_error, destination_config are set without"
                + " provisioned_poller_config; Lambda takes the error handling settings of a Kafka mapping in"
                + " provisioned mode only. Add provisioned_poller_config { minimum_pollers = 1 }");
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem).startsWith(
                "aws_lambda_event_source_mapping.to_topic: destination_config.0.on_failure.0.destination_arn"
                        + " \"arn:aws:sns:us-east-1:000000000000:orders-failed\" is not an SQS queue; the local cloud"
                        + " sends the records of discarded Kafka batches to SQS queues only"));
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem).startsWith(
                "aws_lambda_event_source_mapping.queue: destination_config is set on the mapping of queue work"));
        assertThat(failure.problems()).noneSatisfy(problem -> assertThat(problem).contains("to_topic: maximum"));
    }
}
