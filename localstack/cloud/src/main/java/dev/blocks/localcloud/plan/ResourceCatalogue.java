package dev.blocks.localcloud.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What the local cloud does with each resource type of a plan, and with the attributes that change how an
 * emulated resource behaves. A type is emulated (the local cloud creates, runs or wires it), deliberately
 * ignored (nothing a function can observe locally depends on it; the reason is logged at start-up), or
 * unsupported (anything not listed here). An attribute listed as unsupported makes its resource unsupported when
 * set to anything but what the local cloud does; one listed as ignored is logged like an ignored type.
 *
 * <p>Attributes not listed are either read by {@link PlanReader} or make no difference a function could see
 * (tags, descriptions, encryption at rest, X-Ray, architectures of JVM functions...).
 */
final class ResourceCatalogue {

    /** The types {@link PlanReader} reads. */
    static final Set<String> EMULATED = Set.of(
            "aws_dynamodb_table",
            "aws_sqs_queue",
            "aws_sqs_queue_redrive_policy",
            "aws_s3_bucket",
            "aws_s3_bucket_notification",
            "aws_s3_bucket_cors_configuration",
            "aws_lambda_function",
            "aws_lambda_function_event_invoke_config",
            "aws_lambda_event_source_mapping",
            "aws_lambda_invocation",
            "aws_apigatewayv2_api",
            "aws_apigatewayv2_route",
            "aws_apigatewayv2_integration",
            "aws_apigatewayv2_authorizer",
            "aws_cloudwatch_event_rule",
            "aws_cloudwatch_event_target",
            "aws_scheduler_schedule");

    private static final String IAM = "IAM is not enforced locally: functions may call every emulated service"
            + " (the stacks' policy tests audit what AWS would allow)";
    private static final String S3_ACCESS = "S3 access control is not enforced locally";

    /** The types ignored on purpose, each with why that hides nothing a function depends on. */
    static final Map<String, String> IGNORED = Map.ofEntries(
            Map.entry("aws_iam_role", IAM),
            Map.entry("aws_iam_role_policy", IAM),
            Map.entry("aws_iam_policy", IAM),
            Map.entry("aws_iam_role_policy_attachment", IAM),
            Map.entry("aws_lambda_permission", "resource policies are not enforced locally: every trigger of the"
                    + " plan may invoke its function"),
            Map.entry("aws_lambda_alias", "the local cloud runs each function's latest code; triggers that name an"
                    + " alias invoke the function"),
            Map.entry("aws_cloudwatch_log_group", "function logs go to files in the log directory"),
            Map.entry("aws_cloudwatch_metric_alarm", "no metrics are collected locally, so alarms never fire"),
            Map.entry("aws_sns_topic", "SNS is not emulated: topics are not created (subscriptions, notifications"
                    + " and destinations to them are refused)"),
            Map.entry("aws_kms_key", "KMS is not emulated: no key is created and nothing is encrypted with one"),
            Map.entry("aws_kms_alias", "KMS is not emulated: no key is created and nothing is encrypted with one"),
            Map.entry("aws_ssm_parameter", "SSM parameters are not served locally: give functions their settings"
                    + " through environment variables"),
            Map.entry("aws_apigatewayv2_stage", "the local gateway serves the $default stage and deploys every"
                    + " change at once"),
            Map.entry("aws_apigatewayv2_deployment", "the local gateway deploys every change at once"),
            Map.entry("aws_s3_bucket_policy", S3_ACCESS),
            Map.entry("aws_s3_bucket_public_access_block", S3_ACCESS),
            Map.entry("aws_s3_bucket_ownership_controls", S3_ACCESS + " (no ACLs)"),
            Map.entry("aws_s3_bucket_server_side_encryption_configuration", "objects are not encrypted at rest"
                    + " locally; reads and writes behave alike"),
            Map.entry("aws_s3_bucket_lifecycle_configuration", "lifecycle rules act after days, longer than a local"
                    + " run lasts"),
            Map.entry("aws_sqs_queue_policy", "SQS access policies are not enforced locally (but an S3"
                    + " notification's queue must allow S3 to send, as AWS checks)"),
            Map.entry("aws_scheduler_schedule_group", "schedule groups only name schedules"));

    /** Lambda's /tmp without ephemeral_storage, in MB. */
    private static final int DEFAULT_EPHEMERAL_STORAGE_MB = 512;

    /** The largest message SQS accepts by default (the provider's default max_message_size). */
    private static final int DEFAULT_MAX_MESSAGE_SIZE = 262_144;

    enum Treatment { IGNORED, UNSUPPORTED }

    /** A setting of one type whose value (when {@code applies}) the local cloud ignores or cannot emulate. */
    record AttributeRule(String type, String attribute, Treatment treatment, Predicate<JsonNode> applies,
                         String reason) {}

    static final List<AttributeRule> ATTRIBUTES = List.of(
            // Lambda functions
            new AttributeRule("aws_lambda_function", "vpc_config", Treatment.IGNORED, ResourceCatalogue::isSet,
                    "network placement: locally every function reaches the emulators on loopback"),
            new AttributeRule("aws_lambda_function", "layers", Treatment.UNSUPPORTED, ResourceCatalogue::isSet,
                    "layers are not emulated: the local cloud runs the function's zip alone"),
            new AttributeRule("aws_lambda_function", "ephemeral_storage", Treatment.UNSUPPORTED,
                    value -> value.path(0).path("size").asInt(DEFAULT_EPHEMERAL_STORAGE_MB)
                            > DEFAULT_EPHEMERAL_STORAGE_MB,
                    "more /tmp than Lambda's default 512 MB is not emulated"),
            new AttributeRule("aws_lambda_function", "file_system_config", Treatment.UNSUPPORTED,
                    ResourceCatalogue::isSet, "EFS mounts are not emulated"),
            new AttributeRule("aws_lambda_function", "image_config", Treatment.UNSUPPORTED, ResourceCatalogue::isSet,
                    "container image settings are not emulated (the local cloud runs zips)"),
            // Event source mappings
            new AttributeRule("aws_lambda_event_source_mapping", "filter_criteria", Treatment.UNSUPPORTED,
                    ResourceCatalogue::isSet, "event filtering is not emulated: every record would reach the"
                    + " function, where AWS drops those that match no filter"),
            new AttributeRule("aws_lambda_event_source_mapping", "tumbling_window_in_seconds", Treatment.UNSUPPORTED,
                    value -> value.asInt(0) > 0, "tumbling windows are not emulated"),
            new AttributeRule("aws_lambda_event_source_mapping", "function_response_types", Treatment.UNSUPPORTED,
                    value -> elements(value).stream().anyMatch(type -> !type.equals("ReportBatchItemFailures")),
                    "the local cloud understands ReportBatchItemFailures only"),
            new AttributeRule("aws_lambda_event_source_mapping", "starting_position", Treatment.UNSUPPORTED,
                    value -> value.asText("").equals("AT_TIMESTAMP"), "the local cloud starts at TRIM_HORIZON or"
                    + " LATEST only"),
            new AttributeRule("aws_lambda_event_source_mapping", "queues", Treatment.UNSUPPORTED,
                    ResourceCatalogue::isSet, "Amazon MQ event sources are not emulated"),
            new AttributeRule("aws_lambda_event_source_mapping", "document_db_event_source_config",
                    Treatment.UNSUPPORTED, ResourceCatalogue::isSet, "DocumentDB event sources are not emulated"),
            // SQS
            new AttributeRule("aws_sqs_queue", "max_message_size", Treatment.UNSUPPORTED,
                    value -> value.isNumber() && value.asInt() < DEFAULT_MAX_MESSAGE_SIZE,
                    "a smaller maximum message size is not emulated: larger messages would be accepted locally"),
            // API Gateway
            new AttributeRule("aws_apigatewayv2_api", "protocol_type", Treatment.UNSUPPORTED,
                    value -> !value.asText("HTTP").equals("HTTP"), "the local gateway serves HTTP APIs only"),
            new AttributeRule("aws_apigatewayv2_api", "cors_configuration", Treatment.UNSUPPORTED,
                    ResourceCatalogue::isSet, "API Gateway's own CORS answers are not emulated"),
            new AttributeRule("aws_apigatewayv2_api", "body", Treatment.UNSUPPORTED, ResourceCatalogue::isSet,
                    "OpenAPI definitions are not read: declare routes and integrations"),
            new AttributeRule("aws_apigatewayv2_stage", "name", Treatment.UNSUPPORTED,
                    value -> !value.asText("$default").equals("$default"), "the local gateway serves routes at the"
                    + " root, as the $default stage does; on AWS a named stage puts them under /<stage>"),
            new AttributeRule("aws_apigatewayv2_integration", "request_parameters", Treatment.UNSUPPORTED,
                    ResourceCatalogue::isSet, "parameter mapping is not emulated"),
            new AttributeRule("aws_apigatewayv2_integration", "response_parameters", Treatment.UNSUPPORTED,
                    ResourceCatalogue::isSet, "parameter mapping is not emulated"),
            // S3 and DynamoDB
            new AttributeRule("aws_s3_bucket", "object_lock_enabled", Treatment.UNSUPPORTED,
                    value -> value.asBoolean(false), "object lock is not emulated"),
            new AttributeRule("aws_dynamodb_table", "import_table", Treatment.UNSUPPORTED, ResourceCatalogue::isSet,
                    "tables imported from S3 are not emulated (the local table starts empty)"));

    /**
     * What the plan holds that the local cloud does not emulate.
     *
     * @param ignored     "N type: reason" (or "N type.attribute: reason"), one line per ignored type or attribute
     * @param unsupported one problem per unsupported resource type or attribute value, naming the resource
     */
    record Findings(List<String> ignored, List<String> unsupported) {}

    private ResourceCatalogue() {
    }

    static Findings classify(Plan plan) {
        Map<String, Integer> ignoredCounts = new TreeMap<>();
        Map<String, String> reasons = new TreeMap<>();
        Map<String, List<String>> unsupportedTypes = new TreeMap<>();
        List<String> unsupported = new ArrayList<>();
        for (PlannedResource resource : plan.all()) {
            String type = resource.type();
            if (IGNORED.containsKey(type)) {
                ignoredCounts.merge(type, 1, Integer::sum);
                reasons.put(type, IGNORED.get(type));
            } else if (!EMULATED.contains(type)) {
                unsupportedTypes.computeIfAbsent(type, t -> new ArrayList<>()).add(resource.address());
            }
            for (AttributeRule rule : ATTRIBUTES) {
                if (!rule.type().equals(type)) {
                    continue;
                }
                if (resource.isUnknown(rule.attribute())) {
                    // Computed defaults are unknown in the plan: only a configured value can change anything, and
                    // one that is (partly) computed, such as a VPC's id, counts as set.
                    if (!plan.configures(resource, rule.attribute())) {
                        continue;
                    }
                } else if (!rule.applies().test(resource.known(rule.attribute()))) {
                    continue;
                }
                if (rule.treatment() == Treatment.IGNORED) {
                    String key = type + "." + rule.attribute();
                    ignoredCounts.merge(key, 1, Integer::sum);
                    reasons.put(key, rule.reason());
                } else {
                    unsupported.add(resource.address() + ": " + rule.attribute() + " is not supported by the local"
                            + " cloud: " + rule.reason());
                }
            }
        }
        unsupportedTypes.forEach((type, addresses) -> unsupported.add(String.join(", ", addresses) + ": resource"
                + " type " + type + " is not emulated by the local cloud (nor known to be safe to ignore)"));
        List<String> ignored = new ArrayList<>();
        ignoredCounts.forEach((key, count) -> ignored.add(count + " " + key + ": " + reasons.get(key)));
        return new Findings(List.copyOf(ignored), List.copyOf(unsupported));
    }

    private static boolean isSet(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (value.isArray() || value.isObject()) {
            for (JsonNode element : value) {
                if (isSet(element)) {
                    return true;
                }
            }
            return false;
        }
        return !(value.isTextual() && value.asText().isEmpty()) && !(value.isBoolean() && !value.asBoolean());
    }

    private static List<String> elements(JsonNode value) {
        List<String> texts = new ArrayList<>();
        value.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
