package dev.blocks.localcloud.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.spec.BucketSpec;
import dev.blocks.localcloud.spec.BucketSpec.CorsRule;
import dev.blocks.localcloud.spec.BucketSpec.NotificationSpec;
import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.FunctionSpec;
import dev.blocks.localcloud.spec.InvocationSpec;
import dev.blocks.localcloud.spec.JwtAuthorizerSpec;
import dev.blocks.localcloud.spec.KafkaMappingSpec;
import dev.blocks.localcloud.spec.QueueMappingSpec;
import dev.blocks.localcloud.spec.QueueSpec;
import dev.blocks.localcloud.spec.RouteSpec;
import dev.blocks.localcloud.spec.ScheduleSpec;
import dev.blocks.localcloud.spec.TableSpec;
import dev.blocks.localcloud.spec.TableSpec.IndexSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the JSON of a Terraform plan ({@code terraform show -json}) of the {@code local} target into the
 * {@link CloudSpec} the local cloud creates and wires.
 *
 * <p>Every value the local cloud needs must be known at plan time; links between resources are read from
 * names and ARNs built from names, and only where those are unknown from the configuration's references (see
 * {@link References}). Anything that cannot be read, or that points at something the plan does not define, is
 * reported: all problems at once, each naming the resource and attribute.
 */
public final class PlanReader {

    private static final Logger LOG = LoggerFactory.getLogger(PlanReader.class);
    private static final Set<String> FUNCTION_TYPES = Set.of("aws_lambda_function", "aws_lambda_alias");
    private static final Set<String> QUEUE_TYPES = Set.of("aws_sqs_queue");
    private static final Set<String> BUCKET_TYPES = Set.of("aws_s3_bucket");
    private static final Set<String> RULE_TYPES = Set.of("aws_cloudwatch_event_rule");
    private static final Set<String> UTC = Set.of("UTC", "Etc/UTC", "GMT", "Etc/GMT");

    private final Plan plan;
    private final References references;
    private final Path terraformDir;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> functionNames = new TreeSet<>();
    private final Set<String> queueNames = new TreeSet<>();
    private final Set<String> bucketNames = new TreeSet<>();
    /** What AWS would refuse or the local cloud does not emulate: problems, or warnings when lenient. */
    private final List<String> refusals = new ArrayList<>();
    private final boolean lenient;

    private PlanReader(Plan plan, Path terraformDir, boolean lenient) {
        this.plan = plan;
        this.references = new References(plan);
        this.terraformDir = terraformDir;
        this.lenient = lenient;
    }

    /**
     * Reads the plan JSON of the Terraform configuration in {@code terraformDir} (function zip paths in the plan
     * are relative to it).
     *
     * @throws PlanWiringException listing every resource the local cloud cannot read or wire
     * @throws IllegalArgumentException when {@code planJson} is not the JSON of a plan
     */
    public static CloudSpec read(String planJson, Path terraformDir) {
        return read(planJson, terraformDir, false);
    }

    /**
     * As {@link #read(String, Path)}; also refuses what the local cloud does not emulate (resource types,
     * behaviour-changing attributes: see {@link ResourceCatalogue}) and what AWS refuses at create time, unless
     * {@code lenient}, when those are logged as warnings and the rest is run. Ignored resource types are logged.
     */
    public static CloudSpec read(String planJson, Path terraformDir, boolean lenient) {
        return new PlanReader(Plan.parse(planJson), terraformDir.toAbsolutePath(), lenient).read();
    }

    private CloudSpec read() {
        collectNames();
        List<TableSpec> tables = each("aws_dynamodb_table", this::table);
        List<QueueSpec> queues = queues();
        List<FunctionSpec> functions = withAsyncConfig(each("aws_lambda_function", this::function));
        List<BucketSpec> buckets = buckets();
        List<RouteSpec> routes = routes();
        List<QueueMappingSpec> queueMappings = new ArrayList<>();
        List<KafkaMappingSpec> kafkaMappings = new ArrayList<>();
        for (PlannedResource mapping : plan.resources("aws_lambda_event_source_mapping")) {
            attempt(() -> {
                if (mapping.count("topics") > 0) {
                    kafkaMappings.add(kafkaMapping(mapping));
                } else {
                    queueMappings.add(queueMapping(mapping));
                }
            });
        }
        List<ScheduleSpec> schedules = new ArrayList<>(ruleSchedules());
        schedules.addAll(each("aws_scheduler_schedule", this::schedulerSchedule));
        List<String> topics = topics(kafkaMappings);
        List<InvocationSpec> invocations = each("aws_lambda_invocation", this::invocation);
        checkWhatAwsRefuses(queues, functions);
        ResourceCatalogue.Findings findings = ResourceCatalogue.classify(plan);
        refusals.addAll(0, findings.unsupported());
        if (!problems.isEmpty() || (!lenient && !refusals.isEmpty())) {
            List<String> all = new ArrayList<>(problems);
            if (!lenient) {
                all.addAll(refusals);
            }
            throw new PlanWiringException(all);
        }
        findings.ignored().forEach(line -> LOG.info("ignored: {}", line));
        refusals.forEach(refusal -> LOG.warn("--lenient: {}", refusal));
        return new CloudSpec(
                sorted(tables, TableSpec::name),
                sorted(queues, QueueSpec::name),
                sorted(buckets, BucketSpec::name),
                sorted(functions, FunctionSpec::name),
                sorted(routes, RouteSpec::routeKey),
                sorted(queueMappings, m -> m.queueName() + " " + m.functionName()),
                sorted(kafkaMappings, m -> String.join(",", m.topics()) + " " + m.functionName()),
                sorted(schedules, ScheduleSpec::name),
                topics,
                plan.region().orElse(CloudSpec.DEFAULT_REGION),
                sorted(invocations, InvocationSpec::address));
    }

    /** An invocation Terraform makes while it applies; its input must be known at plan time, as the local cloud runs it. */
    private InvocationSpec invocation(PlannedResource invocation) {
        if (invocation.isUnknown("input")) {
            throw WiringProblem.unknown(invocation, "input");
        }
        return new InvocationSpec(invocation.address(), functionOf(invocation, "function_name"),
                invocation.requiredText("input"));
    }

    /** Names that other resources may point at, read first so that one unreadable resource does not cascade. */
    private void collectNames() {
        names("aws_lambda_function", "function_name", functionNames);
        names("aws_sqs_queue", "name", queueNames);
        names("aws_s3_bucket", "bucket", bucketNames);
    }

    private void names(String type, String attribute, Set<String> into) {
        for (PlannedResource resource : plan.resources(type)) {
            if (!resource.isUnknown(attribute) && resource.text(attribute) != null) {
                into.add(resource.text(attribute));
            }
        }
    }

    // --- DynamoDB -----------------------------------------------------------------------------------------------

    private TableSpec table(PlannedResource table) {
        String hashKey = table.requiredText("hash_key");
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < table.count("attribute"); i++) {
            attributes.put(table.requiredText("attribute", i, "name"), table.requiredText("attribute", i, "type"));
        }
        List<IndexSpec> globalIndexes = new ArrayList<>();
        for (int i = 0; i < table.count("global_secondary_index"); i++) {
            globalIndexes.add(index(table, "global_secondary_index", i, table.requiredText("global_secondary_index", i, "hash_key")));
        }
        List<IndexSpec> localIndexes = new ArrayList<>();
        for (int i = 0; i < table.count("local_secondary_index"); i++) {
            localIndexes.add(index(table, "local_secondary_index", i, hashKey));
        }
        Optional<String> ttl = table.count("ttl") > 0 && table.bool(false, "ttl", 0, "enabled")
                ? present(table.text("ttl", 0, "attribute_name")) : Optional.empty();
        return new TableSpec(table.requiredText("name"), hashKey, present(table.text("range_key")), attributes,
                sorted(globalIndexes, IndexSpec::name), ttl, sorted(localIndexes, IndexSpec::name));
    }

    private static IndexSpec index(PlannedResource table, String block, int i, String hashKey) {
        return new IndexSpec(table.requiredText(block, i, "name"), hashKey, present(table.text(block, i, "range_key")),
                table.requiredText(block, i, "projection_type"), table.strings(block, i, "non_key_attributes"));
    }

    // --- SQS ----------------------------------------------------------------------------------------------------

    private List<QueueSpec> queues() {
        Map<String, QueueSpec> byName = new LinkedHashMap<>();
        Map<String, String> addressOf = new HashMap<>();
        for (PlannedResource queue : plan.resources("aws_sqs_queue")) {
            attempt(() -> {
                QueueSpec spec = queue(queue);
                byName.put(spec.name(), spec);
                addressOf.put(spec.name(), queue.address());
            });
        }
        for (PlannedResource policy : plan.resources("aws_sqs_queue_redrive_policy")) {
            attempt(() -> {
                String name = queueOf(policy, "queue_url");
                QueueSpec queue = byName.get(name);
                if (queue != null) {
                    Redrive redrive = redrive(policy, "redrive_policy");
                    byName.put(name, new QueueSpec(queue.name(), queue.fifo(), queue.contentBasedDeduplication(),
                            queue.delaySeconds(), queue.visibilityTimeoutSeconds(), queue.messageRetentionSeconds(),
                            redrive.deadLetterQueue(), redrive.maxReceiveCount()));
                    addressOf.put(name, policy.address());
                }
            });
        }
        for (QueueSpec queue : byName.values()) {
            queue.deadLetterQueue().filter(dlq -> !queueNames.contains(dlq)).ifPresent(dlq -> problems.add(
                    addressOf.get(queue.name()) + ": redrive_policy names dead-letter queue \"" + dlq
                            + "\", which the plan does not define"));
        }
        return new ArrayList<>(byName.values());
    }

    private QueueSpec queue(PlannedResource queue) {
        Redrive redrive = redrive(queue, "redrive_policy");
        return new QueueSpec(
                queue.requiredText("name"),
                queue.bool(false, "fifo_queue"),
                queue.bool(false, "content_based_deduplication"),
                queue.integer(0, "delay_seconds"),
                queue.integer(30, "visibility_timeout_seconds"),
                queue.integer(345_600, "message_retention_seconds"),
                redrive.deadLetterQueue(),
                redrive.maxReceiveCount());
    }

    private record Redrive(Optional<String> deadLetterQueue, int maxReceiveCount) {}

    private Redrive redrive(PlannedResource resource, String attribute) {
        String policy = optionalText(resource, attribute);
        if (policy == null || policy.isBlank()) {
            return new Redrive(Optional.empty(), 0);
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(policy);
        } catch (JsonProcessingException e) {
            throw new WiringProblem(resource.address() + ": " + attribute + " is not JSON: " + e.getOriginalMessage());
        }
        String target = json.path("deadLetterTargetArn").asText("");
        String dlq = Arns.queueName(target).orElseThrow(() -> new WiringProblem(resource.address() + ": " + attribute
                + " has deadLetterTargetArn \"" + target + "\", which is not an SQS queue ARN"));
        int maxReceiveCount = json.path("maxReceiveCount").asInt(0);
        if (maxReceiveCount < 1) {
            throw new WiringProblem(resource.address() + ": " + attribute + " needs a maxReceiveCount of at least 1");
        }
        return new Redrive(Optional.of(dlq), maxReceiveCount);
    }

    // --- S3 -----------------------------------------------------------------------------------------------------

    private List<BucketSpec> buckets() {
        Map<String, List<NotificationSpec>> notifications = new HashMap<>();
        Map<String, List<CorsRule>> cors = new HashMap<>();
        for (PlannedResource notification : plan.resources("aws_s3_bucket_notification")) {
            attempt(() -> notifications.computeIfAbsent(bucketOf(notification, "bucket"), b -> new ArrayList<>())
                    .addAll(notifications(notification)));
        }
        for (PlannedResource configuration : plan.resources("aws_s3_bucket_cors_configuration")) {
            attempt(() -> cors.computeIfAbsent(bucketOf(configuration, "bucket"), b -> new ArrayList<>())
                    .addAll(corsRules(configuration)));
        }
        List<BucketSpec> buckets = new ArrayList<>();
        for (PlannedResource bucket : plan.resources("aws_s3_bucket")) {
            attempt(() -> {
                String name = bucket.requiredText("bucket");
                buckets.add(new BucketSpec(name, List.copyOf(notifications.getOrDefault(name, List.of())),
                        List.copyOf(cors.getOrDefault(name, List.of()))));
            });
        }
        return buckets;
    }

    private List<NotificationSpec> notifications(PlannedResource notification) {
        if (notification.count("lambda_function") > 0 || notification.count("topic") > 0
                || notification.bool(false, "eventbridge")) {
            throw new WiringProblem(notification.address() + ": the local cloud delivers S3 notifications to SQS"
                    + " queues only (queue blocks); lambda_function, topic and eventbridge are not emulated");
        }
        List<NotificationSpec> specs = new ArrayList<>();
        for (int i = 0; i < notification.count("queue"); i++) {
            specs.add(new NotificationSpec(
                    queueOf(notification, "queue", i, "queue_arn"),
                    notification.strings("queue", i, "events"),
                    orEmpty(notification.text("queue", i, "filter_prefix")),
                    orEmpty(notification.text("queue", i, "filter_suffix"))));
        }
        return specs;
    }

    private static List<CorsRule> corsRules(PlannedResource configuration) {
        List<CorsRule> rules = new ArrayList<>();
        for (int i = 0; i < configuration.count("cors_rule"); i++) {
            rules.add(new CorsRule(
                    configuration.strings("cors_rule", i, "allowed_origins"),
                    configuration.strings("cors_rule", i, "allowed_methods"),
                    configuration.strings("cors_rule", i, "allowed_headers"),
                    configuration.strings("cors_rule", i, "expose_headers"),
                    configuration.integer(0, "cors_rule", i, "max_age_seconds")));
        }
        return rules;
    }

    // --- Lambda -------------------------------------------------------------------------------------------------

    private FunctionSpec function(PlannedResource function) {
        String name = function.requiredText("function_name");
        if ("Image".equals(function.text("package_type"))) {
            throw new WiringProblem(function.address() + ": container image functions are not supported by the"
                    + " local cloud; deploy a zip (filename)");
        }
        String filename = function.text("filename");
        if (filename == null) {
            throw new WiringProblem(function.address() + ": filename is not set; the local cloud runs zips from"
                    + " disk (s3_bucket/s3_key artifacts are not supported)");
        }
        if (function.isUnknown("environment")) {
            throw new WiringProblem(function.address() + ": environment.variables is only known after apply (one"
                    + " computed value, such as a queue URL or a resource ARN, makes the whole map unknown). Give"
                    + " functions names known at plan time and resolve URLs at run time; see"
                    + " infra/terraform/README.md.");
        }
        Map<String, String> environment = function.count("environment") > 0
                ? function.stringMap("environment", 0, "variables") : Map.of();
        List<String> reserved = environment.keySet().stream().filter(FunctionSpec::reservedVariable).sorted().toList();
        if (!reserved.isEmpty()) {
            // Lambda's CreateFunction refuses these: the runtime sets them itself.
            throw new WiringProblem(function.address() + ": environment.variables sets " + reserved
                    + ", reserved by Lambda (InvalidParameterValueException on AWS)");
        }
        return new FunctionSpec(
                name,
                function.requiredText("runtime"),
                orEmpty(function.text("handler")),
                terraformDir.resolve(filename).normalize(),
                Map.copyOf(environment),
                function.integer(128, "memory_size"),
                function.integer(3, "timeout"),
                Math.max(-1, function.integer(-1, "reserved_concurrent_executions")));
    }

    // --- Asynchronous invocation: retries, destinations, dead-letter queues --------------------------------------

    private static final Set<String> DESTINATION_TYPES = Set.of("aws_sqs_queue", "aws_lambda_function",
            "aws_lambda_alias", "aws_sns_topic", "aws_cloudwatch_event_bus", "aws_s3_bucket");

    /**
     * The functions with what {@code aws_lambda_function_event_invoke_config} and {@code dead_letter_config} say
     * about their asynchronous invocations. Destinations Lambda offers that the local cloud does not emulate (SNS,
     * EventBridge, S3) are refused: events sent there would vanish silently.
     */
    private List<FunctionSpec> withAsyncConfig(List<FunctionSpec> functions) {
        Map<String, Optional<String>> deadLetterQueues = new HashMap<>();
        for (PlannedResource function : plan.resources("aws_lambda_function")) {
            attempt(() -> {
                if (!function.isUnknown("function_name") && function.count("dead_letter_config") > 0) {
                    deadLetterQueues.put(function.requiredText("function_name"),
                            Optional.of(deadLetterQueue(function)));
                }
            });
        }
        Map<String, FunctionSpec.AsyncInvokeConfig> configs = new HashMap<>();
        Map<String, String> addressOf = new HashMap<>();
        for (PlannedResource config : plan.resources("aws_lambda_function_event_invoke_config")) {
            attempt(() -> {
                String function = functionOf(config, "function_name");
                String earlier = addressOf.putIfAbsent(function, config.address());
                if (earlier != null) {
                    throw new WiringProblem(config.address() + ": function " + function + " already has an event"
                            + " invoke config (" + earlier + "); the local cloud runs $LATEST only");
                }
                configs.put(function, eventInvokeConfig(config));
            });
        }
        return functions.stream().map(function -> {
            FunctionSpec.AsyncInvokeConfig config = configs.getOrDefault(function.name(),
                    FunctionSpec.AsyncInvokeConfig.DEFAULTS)
                    .withDeadLetterQueue(deadLetterQueues.getOrDefault(function.name(), Optional.empty()));
            return new FunctionSpec(function.name(), function.runtime(), function.handler(), function.artifact(),
                    function.environment(), function.memoryMb(), function.timeoutSeconds(),
                    function.reservedConcurrency(), config);
        }).toList();
    }

    private String deadLetterQueue(PlannedResource function) {
        FunctionSpec.Destination target = destinationOf(function, "dead_letter_config", 0, "target_arn");
        if (target.kind() != FunctionSpec.Destination.Kind.QUEUE) {
            throw new WiringProblem(function.address() + ": dead_letter_config.target_arn must be an SQS queue"
                    + " (Lambda also takes an SNS topic, which the local cloud does not emulate)");
        }
        return target.name();
    }

    private FunctionSpec.AsyncInvokeConfig eventInvokeConfig(PlannedResource config) {
        int retries = config.integer(FunctionSpec.AsyncInvokeConfig.DEFAULT_RETRY_ATTEMPTS, "maximum_retry_attempts");
        if (retries < 0 || retries > 2) {
            throw new WiringProblem(config.address() + ": maximum_retry_attempts " + retries
                    + " is outside 0..2, which Lambda accepts");
        }
        int age = config.integer((int) FunctionSpec.AsyncInvokeConfig.DEFAULT_EVENT_AGE.toSeconds(),
                "maximum_event_age_in_seconds");
        if (age < 60 || age > 21_600) {
            throw new WiringProblem(config.address() + ": maximum_event_age_in_seconds " + age
                    + " is outside 60..21600, which Lambda accepts");
        }
        return new FunctionSpec.AsyncInvokeConfig(retries, java.time.Duration.ofSeconds(age),
                destination(config, "on_success"), destination(config, "on_failure"), Optional.empty());
    }

    /** One destination of the config; a problem with it is reported along with the other's. */
    private Optional<FunctionSpec.Destination> destination(PlannedResource config, String block) {
        List<FunctionSpec.Destination> found = new ArrayList<>();
        if (config.count("destination_config") > 0 && config.count("destination_config", 0, block) > 0) {
            attempt(() -> found.add(destinationOf(config, "destination_config", 0, block, 0, "destination")));
        }
        return found.stream().findFirst();
    }

    /** A destination by ARN, or, when the ARN is only known after apply, by the resource it references. */
    private FunctionSpec.Destination destinationOf(PlannedResource from, Object... path) {
        String attribute = PlannedResource.describe(path);
        String service;
        if (!from.isUnknown(path)) {
            service = Arns.service(from.requiredText(path)).orElse("");
        } else {
            String type = references.target(from, DESTINATION_TYPES, path)
                    .orElseThrow(() -> WiringProblem.unknown(from, attribute)).type();
            service = switch (type) {
                case "aws_sqs_queue" -> "sqs";
                case "aws_lambda_function", "aws_lambda_alias" -> "lambda";
                case "aws_sns_topic" -> "sns";
                case "aws_cloudwatch_event_bus" -> "events";
                default -> "s3";
            };
        }
        return switch (service) {
            case "sqs" -> FunctionSpec.Destination.queue(queueOf(from, path));
            case "lambda" -> FunctionSpec.Destination.function(functionOf(from, path));
            default -> throw new WiringProblem(from.address() + ": " + attribute + " is "
                    + (service.isEmpty() ? "not an ARN" : "an " + service + " destination")
                    + "; the local cloud delivers asynchronous invocation records to SQS queues and functions only"
                    + " (SNS, EventBridge and S3 destinations are not emulated)");
        };
    }

    // --- API Gateway --------------------------------------------------------------------------------------------

    private List<RouteSpec> routes() {
        List<RouteSpec> routes = new ArrayList<>();
        Map<String, String> addressOfKey = new HashMap<>();
        for (PlannedResource route : plan.resources("aws_apigatewayv2_route")) {
            attempt(() -> {
                RouteSpec spec = route(route);
                String earlier = addressOfKey.putIfAbsent(spec.routeKey(), route.address());
                if (earlier != null) {
                    throw new WiringProblem(route.address() + ": route " + spec.routeKey() + " is also defined by "
                            + earlier + " (the local cloud serves one HTTP API)");
                }
                routes.add(spec);
            });
        }
        return routes;
    }

    private RouteSpec route(PlannedResource route) {
        String key = route.requiredText("route_key");
        String context = route.address() + " (" + key + ")";
        if (!route.isUnknown("target") && route.text("target") == null) {
            throw new WiringProblem(context + ": has no target integration");
        }
        // The target is "integrations/<id>" and the id only exists after apply: follow the reference instead.
        PlannedResource integration = references.target(route, Set.of("aws_apigatewayv2_integration"), "target")
                .orElseThrow(() -> new WiringProblem(context + ": target does not reference an"
                        + " aws_apigatewayv2_integration of the plan (it must be"
                        + " \"integrations/${aws_apigatewayv2_integration.<name>.id}\")"));
        String type = integration.text("integration_type");
        if (!"AWS_PROXY".equals(type)) {
            throw new WiringProblem(integration.address() + " (for " + key + "): integration_type " + type
                    + " is not supported; the local cloud serves Lambda proxy integrations (AWS_PROXY)");
        }
        String function = functionOf(integration, "integration_uri");
        // Unset, the provider sends 1.0, and AWS then sends the function 1.0 events: the local gateway speaks 2.0
        // only, so it refuses rather than hand the function events it would not get on AWS.
        String payloadVersion = integration.text("payload_format_version");
        if (!"2.0".equals(payloadVersion)) {
            throw new WiringProblem(integration.address() + " (for " + key + "): payload_format_version "
                    + (payloadVersion == null ? "is not set (AWS then sends 1.0 events)" : payloadVersion)
                    + "; the local cloud serves payload format 2.0 only: set payload_format_version = \"2.0\"");
        }
        int timeout = integration.isUnknown("timeout_milliseconds") ? RouteSpec.DEFAULT_TIMEOUT_MILLIS
                : integration.integer(RouteSpec.DEFAULT_TIMEOUT_MILLIS, "timeout_milliseconds");
        String authorization = route.isUnknown("authorization_type") ? unknownAuthorization(route, context)
                : Optional.ofNullable(route.text("authorization_type")).orElse("NONE");
        return switch (authorization) {
            case "NONE" -> new RouteSpec(key, function, Optional.empty(), List.of(), timeout);
            case "JWT" -> new RouteSpec(key, function, Optional.of(jwtAuthorizer(route, context)),
                    route.strings("authorization_scopes"), timeout);
            default -> throw new WiringProblem(context + ": authorization_type " + authorization
                    + " is not supported; the local cloud emulates JWT authorizers (or NONE)");
        };
    }

    /**
     * A module that writes {@code authorization_type = var.authorizer_id == null ? "NONE" : "JWT"} leaves it
     * unknown when the id is (an authorizer of the same plan): the reference decides. Reading it as NONE would
     * serve locally an open route that AWS guards.
     */
    private String unknownAuthorization(PlannedResource route, String context) {
        if (references.target(route, Set.of("aws_apigatewayv2_authorizer"), "authorizer_id").isPresent()) {
            return "JWT";
        }
        if (!route.isUnknown("authorizer_id") && route.text("authorizer_id") == null) {
            return "NONE";
        }
        throw new WiringProblem(context + ": authorization_type is only known after apply and authorizer_id"
                + " references no aws_apigatewayv2_authorizer of the plan");
    }

    private JwtAuthorizerSpec jwtAuthorizer(PlannedResource route, String context) {
        // authorizer_id only exists after apply: follow the reference, as for the target.
        PlannedResource authorizer = references.target(route, Set.of("aws_apigatewayv2_authorizer"), "authorizer_id")
                .orElseThrow(() -> new WiringProblem(context + ": authorization_type is JWT but authorizer_id does"
                        + " not reference an aws_apigatewayv2_authorizer of the plan"));
        String type = authorizer.text("authorizer_type");
        if (!"JWT".equals(type)) {
            throw new WiringProblem(authorizer.address() + ": authorizer_type " + type
                    + " is not supported; the local cloud emulates JWT authorizers");
        }
        if (authorizer.count("jwt_configuration") == 0) {
            throw new WiringProblem(authorizer.address() + ": jwt_configuration is not set");
        }
        String issuer = authorizer.requiredText("jwt_configuration", 0, "issuer");
        List<String> audiences = authorizer.strings("jwt_configuration", 0, "audience");
        if (audiences.isEmpty()) {
            throw new WiringProblem(authorizer.address() + ": jwt_configuration.audience is empty; API Gateway"
                    + " accepts no token without an audience");
        }
        List<String> sources = authorizer.strings("identity_sources");
        if (sources.isEmpty()) {
            throw new WiringProblem(authorizer.address() + ": identity_sources is not set");
        }
        return new JwtAuthorizerSpec(Optional.ofNullable(authorizer.text("name")).orElse(authorizer.address()),
                sources, issuer, audiences);
    }

    // --- Event source mappings ----------------------------------------------------------------------------------

    private QueueMappingSpec queueMapping(PlannedResource mapping) {
        String queue = queueOf(mapping, "event_source_arn");
        if (mapping.count("destination_config") > 0 && mapping.count("destination_config", 0, "on_failure") > 0) {
            // An SQS mapping's failures go to the queue's own dead-letter queue (redrive_policy).
            refusals.add(mapping.address() + ": destination_config is set on the mapping of queue " + queue
                    + "; Lambda takes on-failure destinations for stream and Kafka mappings only: give the queue a"
                    + " redrive_policy instead");
        }
        return new QueueMappingSpec(
                queue,
                functionOf(mapping, "function_name"),
                mapping.integer(10, "batch_size"),
                mapping.integer(0, "maximum_batching_window_in_seconds"),
                mapping.strings("function_response_types").contains("ReportBatchItemFailures"),
                mapping.bool(true, "enabled"),
                mapping.count("scaling_config") > 0 ? mapping.integer(0, "scaling_config", 0, "maximum_concurrency") : 0);
    }

    private KafkaMappingSpec kafkaMapping(PlannedResource mapping) {
        boolean selfManaged = mapping.count("self_managed_event_source") > 0;
        String groupBlock = selfManaged ? "self_managed_kafka_event_source_config" : "amazon_managed_kafka_event_source_config";
        String groupId = mapping.count(groupBlock) > 0 ? mapping.text(groupBlock, 0, "consumer_group_id") : null;
        return new KafkaMappingSpec(
                mapping.strings("topics"),
                functionOf(mapping, "function_name"),
                groupId,
                mapping.integer(100, "batch_size"),
                mapping.integer(0, "maximum_batching_window_in_seconds"),
                Optional.ofNullable(mapping.text("starting_position")).orElse("LATEST"),
                selfManaged,
                mapping.bool(true, "enabled"),
                kafkaErrorHandling(mapping));
    }

    /**
     * Retries, record age, bisection, partial batch responses and the on-failure destination of a Kafka mapping.
     * Lambda takes them only in provisioned mode (provisioned_poller_config); each one set without it is refused,
     * by name, as CreateEventSourceMapping refuses it.
     */
    private KafkaMappingSpec.ErrorHandling kafkaErrorHandling(PlannedResource mapping) {
        // Both are computed by the provider when left out: unknown in the plan, -1 (infinite) on AWS.
        int retries = optionalInteger(mapping, KafkaMappingSpec.ErrorHandling.INFINITE, "maximum_retry_attempts");
        int age = optionalInteger(mapping, -1, "maximum_record_age_in_seconds");
        boolean bisect = mapping.bool(false, "bisect_batch_on_function_error");
        boolean partial = mapping.strings("function_response_types").contains("ReportBatchItemFailures");
        boolean destination = mapping.count("destination_config") > 0
                && mapping.count("destination_config", 0, "on_failure") > 0;
        List<String> set = new ArrayList<>();
        if (retries != KafkaMappingSpec.ErrorHandling.INFINITE) {
            set.add("maximum_retry_attempts");
        }
        if (age != -1) {
            set.add("maximum_record_age_in_seconds");
        }
        if (bisect) {
            set.add("bisect_batch_on_function_error");
        }
        if (partial) {
            set.add("function_response_types");
        }
        if (destination) {
            set.add("destination_config");
        }
        if (!set.isEmpty() && mapping.count("provisioned_poller_config") == 0) {
            refusals.add(mapping.address() + ": " + String.join(", ", set) + (set.size() > 1 ? " are" : " is")
                    + " set without provisioned_poller_config; Lambda takes the error handling settings of a Kafka"
                    + " mapping in provisioned mode only. Add provisioned_poller_config { minimum_pollers = 1 }");
        }
        if (retries < -1 || retries > 10_000) {
            refusals.add(mapping.address() + ": maximum_retry_attempts " + retries + " is outside -1..10000, which"
                    + " Lambda accepts for Kafka");
        }
        if (age != -1 && (age < 60 || age > 604_800)) {
            refusals.add(mapping.address() + ": maximum_record_age_in_seconds " + age + " is neither -1 nor within"
                    + " 60..604800, which Lambda accepts for Kafka");
        }
        Optional<String> queue = Optional.empty();
        if (destination) {
            Object[] path = {"destination_config", 0, "on_failure", 0, "destination_arn"};
            String value = mapping.isUnknown(path) ? null : mapping.text(path);
            String notEmulated = "; the local cloud sends the records of discarded Kafka batches to SQS queues only"
                    + " (Lambda also takes SNS topics, S3 buckets and Kafka topics, which are not emulated)";
            if (value != null && !"sqs".equals(Arns.service(value).orElse(""))) {
                throw new WiringProblem(mapping.address() + ": destination_config.0.on_failure.0.destination_arn \""
                        + value + "\" is not an SQS queue" + notEmulated);
            }
            FunctionSpec.Destination target = destinationOf(mapping, path);
            if (target.kind() != FunctionSpec.Destination.Kind.QUEUE) {
                throw new WiringProblem(mapping.address() + ": destination_config.0.on_failure.0.destination_arn"
                        + " names a function" + notEmulated);
            }
            queue = Optional.of(target.name());
        }
        return new KafkaMappingSpec.ErrorHandling(retries,
                age == -1 ? Optional.empty() : Optional.of(java.time.Duration.ofSeconds(age)), bisect, partial, queue);
    }

    private List<String> topics(List<KafkaMappingSpec> mappings) {
        Set<String> topics = new TreeSet<>();
        mappings.forEach(mapping -> topics.addAll(mapping.topics()));
        JsonNode declared = plan.rootOutput("kafka_topics");
        if (declared != null) {
            declared.forEach(topic -> topics.add(topic.asText()));
        }
        return List.copyOf(topics);
    }

    // --- Schedules ----------------------------------------------------------------------------------------------

    private List<ScheduleSpec> ruleSchedules() {
        record Target(PlannedResource resource, PlannedResource rule) {}
        List<Target> targets = new ArrayList<>();
        for (PlannedResource target : plan.resources("aws_cloudwatch_event_target")) {
            attempt(() -> targets.add(new Target(target, ruleOf(target))));
        }
        Map<String, Long> targetsPerRule = new HashMap<>();
        targets.forEach(t -> targetsPerRule.merge(t.rule().address(), 1L, Long::sum));
        List<ScheduleSpec> schedules = new ArrayList<>();
        for (Target target : targets) {
            attempt(() -> {
                PlannedResource rule = target.rule();
                String ruleName = rule.requiredText("name");
                String expression = rule.text("schedule_expression");
                if (expression == null) {
                    throw new WiringProblem(target.resource().address() + ": rule " + ruleName + " has no"
                            + " schedule_expression; the local cloud runs schedules only (event patterns are not"
                            + " emulated)");
                }
                if (target.resource().text("input_path") != null || target.resource().count("input_transformer") > 0) {
                    throw new WiringProblem(target.resource().address() + ": input_path and input_transformer are"
                            + " not supported by the local cloud; use input");
                }
                boolean enabled = !"DISABLED".equals(rule.text("state")) && rule.bool(true, "is_enabled");
                String name = targetsPerRule.get(rule.address()) > 1 ? ruleName + "/" + target.resource().address() : ruleName;
                schedules.add(new ScheduleSpec(name, expression, functionOf(target.resource(), "arn"), enabled,
                        present(target.resource().text("input"))));
            });
        }
        return schedules;
    }

    private PlannedResource ruleOf(PlannedResource target) {
        if (!target.isUnknown("rule")) {
            String name = Arns.ruleName(target.requiredText("rule"));
            return plan.resources("aws_cloudwatch_event_rule").stream()
                    .filter(rule -> !rule.isUnknown("name") && name.equals(rule.text("name")))
                    .findFirst()
                    .orElseThrow(() -> new WiringProblem(target.address() + ": rule names \"" + name
                            + "\", which the plan does not define"));
        }
        return references.target(target, RULE_TYPES, "rule")
                .orElseThrow(() -> WiringProblem.unknown(target, "rule"));
    }

    private ScheduleSpec schedulerSchedule(PlannedResource schedule) {
        String zone = schedule.text("schedule_expression_timezone");
        if (zone != null && !UTC.contains(zone)) {
            throw new WiringProblem(schedule.address() + ": schedule_expression_timezone " + zone
                    + " is not supported by the local cloud, which runs schedules in UTC");
        }
        return new ScheduleSpec(
                schedule.requiredText("name"),
                schedule.requiredText("schedule_expression"),
                functionOf(schedule, "target", 0, "arn"),
                !"DISABLED".equals(schedule.text("state")),
                present(schedule.text("target", 0, "input")),
                // Its ARN names the group: schedules without one are in "default".
                Optional.of(schedule.isUnknown("group_name") ? "default"
                        : present(schedule.text("group_name")).orElse("default")));
    }

    // --- What AWS refuses at create time ------------------------------------------------------------------------

    /**
     * Links AWS validates when it creates resources, so that a stack AWS would refuse is refused here first: a
     * queue's visibility timeout below its function's timeout, SQS batch sizes without a batching window, S3
     * notifications to a queue whose policy does not let S3 send, Kafka topics nobody creates. Each refusal names
     * the resource and attribute; links that cannot be resolved at all are already problems and are skipped.
     */
    private void checkWhatAwsRefuses(List<QueueSpec> queues, List<FunctionSpec> functions) {
        Map<String, QueueSpec> queueByName = new HashMap<>();
        queues.forEach(queue -> queueByName.put(queue.name(), queue));
        Map<String, FunctionSpec> functionByName = new HashMap<>();
        functions.forEach(function -> functionByName.put(function.name(), function));
        Set<String> declaredTopics = new TreeSet<>();
        JsonNode declared = plan.rootOutput("kafka_topics");
        if (declared != null) {
            declared.forEach(topic -> declaredTopics.add(topic.asText()));
        }
        for (PlannedResource mapping : plan.resources("aws_lambda_event_source_mapping")) {
            unlessUnreadable(() -> {
                if (mapping.count("topics") > 0) {
                    checkTopicsDeclared(mapping, declaredTopics);
                } else {
                    checkQueueMapping(mapping, queueByName.get(queueOf(mapping, "event_source_arn")),
                            functionByName.get(functionOf(mapping, "function_name")));
                }
                return null;
            });
        }
        for (PlannedResource notification : plan.resources("aws_s3_bucket_notification")) {
            unlessUnreadable(() -> {
                checkQueuesLetS3Send(notification);
                return null;
            });
        }
    }

    private void checkQueueMapping(PlannedResource mapping, QueueSpec queue, FunctionSpec function) {
        if (queue == null || function == null) {
            return;
        }
        // Lambda's CreateEventSourceMapping: a batch must not become visible again while the function still runs.
        if (queue.visibilityTimeoutSeconds() < function.timeoutSeconds()) {
            refusals.add(mapping.address() + ": event_source_arn is queue " + queue.name() + ", whose"
                    + " visibility_timeout_seconds (" + queue.visibilityTimeoutSeconds() + ") is less than the timeout"
                    + " of function " + function.name() + " (" + function.timeoutSeconds() + " s); Lambda refuses"
                    + " such a mapping. Give the queue a visibility timeout of at least the function's timeout (AWS"
                    + " advises six times it)");
        }
        int batchSize = mapping.integer(10, "batch_size");
        int window = mapping.integer(0, "maximum_batching_window_in_seconds");
        if (queue.fifo()) {
            if (batchSize > 10) {
                refusals.add(mapping.address() + ": batch_size " + batchSize + " is above 10, the most Lambda takes"
                        + " from a FIFO queue (" + queue.name() + ")");
            }
            if (window > 0) {
                refusals.add(mapping.address() + ": maximum_batching_window_in_seconds " + window + " is set, but"
                        + " Lambda has no batching window for FIFO queues (" + queue.name() + ")");
            }
        } else if (batchSize > 10 && window < 1) {
            refusals.add(mapping.address() + ": batch_size " + batchSize + " is above 10 without a batching window;"
                    + " Lambda takes more than 10 messages of a standard queue (" + queue.name() + ") only with"
                    + " maximum_batching_window_in_seconds of at least 1");
        } else if (batchSize > 10_000) {
            refusals.add(mapping.address() + ": batch_size " + batchSize + " is above 10000, the most Lambda takes"
                    + " from a standard queue (" + queue.name() + ")");
        }
    }

    /**
     * Neither Terraform's AWS provider nor Lambda creates Kafka topics, and a cluster without
     * {@code auto.create.topics.enable} (MSK's default) has none: the stack must say which topics to create, in
     * its root output {@code kafka_topics}.
     */
    private void checkTopicsDeclared(PlannedResource mapping, Set<String> declared) {
        List<String> undeclared = mapping.strings("topics").stream().filter(t -> !declared.contains(t)).toList();
        if (!undeclared.isEmpty()) {
            refusals.add(mapping.address() + ": topics " + undeclared + " are not in the root output kafka_topics;"
                    + " neither Terraform nor Lambda creates Kafka topics, and a cluster without"
                    + " auto.create.topics.enable (MSK's default) has none. List every topic the stack uses in"
                    + " kafka_topics: operators create those on the cluster, the local cloud creates them for you");
        }
    }

    /** S3 sends a test message when a notification configuration is written, and refuses it if that fails. */
    private void checkQueuesLetS3Send(PlannedResource notification) {
        String bucket = bucketOf(notification, "bucket");
        for (int i = 0; i < notification.count("queue"); i++) {
            String queue = queueOf(notification, "queue", i, "queue_arn");
            String queueArn = notification.isUnknown("queue", i, "queue_arn")
                    ? "arn:aws:sqs:::" + queue : notification.requiredText("queue", i, "queue_arn");
            String bucketArn = "arn:" + queueArn.split(":")[1] + ":s3:::" + bucket;
            List<String> policies = new ArrayList<>();
            boolean unknownPolicy = queuePolicies(queue, policies);
            boolean allowed = false;
            for (String policy : policies) {
                try {
                    allowed |= QueuePolicy.parse(policy).allowsS3Notifications(queueArn, bucketArn);
                } catch (IllegalArgumentException e) {
                    refusals.add(notification.address() + ": the policy of queue " + queue + " is "
                            + e.getMessage());
                }
            }
            if (allowed) {
                continue;
            }
            if (unknownPolicy) {
                LOG.warn("{}: the policy of queue {} is only known after apply; whether it lets S3 send"
                        + " notifications of bucket {} is not checked", notification.address(), queue, bucket);
                continue;
            }
            refusals.add(notification.address() + ": queue." + i + ".queue_arn is queue " + queue + ", "
                    + (policies.isEmpty() ? "which has no queue policy" : "whose queue policy does not")
                    + " let s3.amazonaws.com send messages (sqs:SendMessage) for bucket " + bucket + "; S3 refuses"
                    + " the notification configuration (\"Unable to validate the following destination"
                    + " configurations\"). Add an aws_sqs_queue_policy that allows it, with aws:SourceArn the"
                    + " bucket's ARN");
        }
    }

    /**
     * Adds the known policy documents of {@code queue} (aws_sqs_queue_policy resources and the queue's own
     * policy attribute) to {@code into}; true when one of them is only known after apply.
     */
    private boolean queuePolicies(String queue, List<String> into) {
        boolean unknown = false;
        for (PlannedResource policy : plan.resources("aws_sqs_queue_policy")) {
            String name = unlessUnreadable(() -> queueOf(policy, "queue_url"));
            if (!queue.equals(name)) {
                continue;
            }
            if (policy.isUnknown("policy")) {
                unknown = true;
            } else if (policy.text("policy") != null) {
                into.add(policy.text("policy"));
            }
        }
        for (PlannedResource resource : plan.resources("aws_sqs_queue")) {
            if (resource.isUnknown("name") || !queue.equals(resource.text("name"))) {
                continue;
            }
            if (resource.isUnknown("policy") && plan.configures(resource, "policy")) {
                unknown = true;
            } else {
                String policy = optionalText(resource, "policy");
                if (policy != null && !policy.isBlank()) {
                    into.add(policy);
                }
            }
        }
        return unknown;
    }

    /** The step's result, or null when it meets a link that cannot be resolved (a problem reported elsewhere). */
    private static <T> T unlessUnreadable(Supplier<T> step) {
        try {
            return step.get();
        } catch (WiringProblem alreadyReported) {
            return null;
        }
    }

    // --- Links between resources --------------------------------------------------------------------------------

    /** The function the attribute at {@code path} names, by value (name or ARN) or, if unknown, by reference. */
    private String functionOf(PlannedResource from, Object... path) {
        String attribute = PlannedResource.describe(path);
        String name;
        if (!from.isUnknown(path)) {
            String value = from.requiredText(path);
            name = Arns.functionName(value).orElseThrow(() -> new WiringProblem(from.address() + ": " + attribute
                    + " \"" + value + "\" is not a Lambda function name or ARN"));
        } else {
            PlannedResource target = references.target(from, FUNCTION_TYPES, path)
                    .orElseThrow(() -> WiringProblem.unknown(from, attribute));
            name = target.type().equals("aws_lambda_alias")
                    ? functionOf(target, "function_name") : target.requiredText("function_name");
        }
        if (!functionNames.contains(name)) {
            throw new WiringProblem(from.address() + ": " + attribute + " names function \"" + name
                    + "\", which the plan does not define");
        }
        return name;
    }

    /** The queue the attribute at {@code path} names, by ARN or URL or, if unknown, by reference. */
    private String queueOf(PlannedResource from, Object... path) {
        String attribute = PlannedResource.describe(path);
        String name;
        if (!from.isUnknown(path)) {
            String value = from.requiredText(path);
            name = Arns.queueName(value).orElseThrow(() -> new WiringProblem(from.address() + ": " + attribute
                    + " \"" + value + "\" is not an SQS queue ARN or URL (the local cloud reads SQS queues and"
                    + " Kafka topics)"));
        } else {
            name = references.target(from, QUEUE_TYPES, path)
                    .orElseThrow(() -> WiringProblem.unknown(from, attribute))
                    .requiredText("name");
        }
        if (!queueNames.contains(name)) {
            throw new WiringProblem(from.address() + ": " + attribute + " names queue \"" + name
                    + "\", which the plan does not define");
        }
        return name;
    }

    private String bucketOf(PlannedResource from, Object... path) {
        String attribute = PlannedResource.describe(path);
        String name = !from.isUnknown(path)
                ? Arns.bucketName(from.requiredText(path))
                : references.target(from, BUCKET_TYPES, path)
                        .orElseThrow(() -> WiringProblem.unknown(from, attribute))
                        .requiredText("bucket");
        if (!bucketNames.contains(name)) {
            throw new WiringProblem(from.address() + ": " + attribute + " names bucket \"" + name
                    + "\", which the plan does not define");
        }
        return name;
    }

    // --- Plumbing -----------------------------------------------------------------------------------------------

    /**
     * An optional attribute the provider computes when the configuration leaves it out (a queue's redrive_policy
     * is then unknown in the plan, though nothing will be set): null unless the configuration sets it.
     */
    private String optionalText(PlannedResource resource, String attribute) {
        if (resource.isUnknown(attribute) && !plan.configures(resource, attribute)) {
            return null;
        }
        return resource.text(attribute);
    }

    /** As {@link #optionalText}, for a number: {@code fallback} unless the configuration sets it. */
    private int optionalInteger(PlannedResource resource, int fallback, String attribute) {
        if (resource.isUnknown(attribute) && !plan.configures(resource, attribute)) {
            return fallback;
        }
        return resource.integer(fallback, attribute);
    }

    private <T> List<T> each(String type, Function<PlannedResource, T> reader) {
        List<T> specs = new ArrayList<>();
        for (PlannedResource resource : plan.resources(type)) {
            attempt(() -> specs.add(reader.apply(resource)));
        }
        return specs;
    }

    private void attempt(Runnable step) {
        try {
            step.run();
        } catch (WiringProblem problem) {
            problems.add(problem.getMessage());
        }
    }

    private static <T> List<T> sorted(List<T> items, Function<T, String> key) {
        return items.stream().sorted(Comparator.comparing(key)).toList();
    }

    private static Optional<String> present(String text) {
        return text == null || text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
