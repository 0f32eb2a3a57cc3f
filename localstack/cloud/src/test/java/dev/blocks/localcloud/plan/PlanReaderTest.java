package dev.blocks.localcloud.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.blocks.localcloud.spec.BucketSpec;
import dev.blocks.localcloud.spec.BucketSpec.NotificationSpec;
import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.FunctionSpec;
import dev.blocks.localcloud.spec.KafkaMappingSpec;
import dev.blocks.localcloud.spec.QueueMappingSpec;
import dev.blocks.localcloud.spec.QueueSpec;
import dev.blocks.localcloud.spec.RouteSpec;
import dev.blocks.localcloud.spec.ScheduleSpec;
import dev.blocks.localcloud.spec.TableSpec;
import dev.blocks.localcloud.spec.TableSpec.IndexSpec;
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
                    "BLOCKS_FUNCTION", function.name(), "BLOCKS_RECORDS_TABLE", "test-records"));
            assertThat(function.memoryMb()).isEqualTo(512);
            assertThat(function.reservedConcurrency()).isZero();
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
}
