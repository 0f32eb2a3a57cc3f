package dev.blocks.localcloud.spec;

import java.util.List;

/**
 * Everything the local cloud creates and wires, as read from a Terraform plan of the local target.
 * The plan is the single source of truth: a wiring mistake in Terraform shows up here too. {@code region} is the
 * AWS provider's region: the one ARNs, events and the functions' {@code AWS_REGION} name.
 */
public record CloudSpec(
        List<TableSpec> tables,
        List<QueueSpec> queues,
        List<BucketSpec> buckets,
        List<FunctionSpec> functions,
        List<RouteSpec> routes,
        List<QueueMappingSpec> queueMappings,
        List<KafkaMappingSpec> kafkaMappings,
        List<ScheduleSpec> schedules,
        List<String> kafkaTopics,
        String region,
        List<InvocationSpec> invocations) {

    /** The region of a plan that names none. */
    public static final String DEFAULT_REGION = "us-east-1";

    /** A spec without invocations. */
    public CloudSpec(List<TableSpec> tables, List<QueueSpec> queues, List<BucketSpec> buckets,
                     List<FunctionSpec> functions, List<RouteSpec> routes, List<QueueMappingSpec> queueMappings,
                     List<KafkaMappingSpec> kafkaMappings, List<ScheduleSpec> schedules, List<String> kafkaTopics,
                     String region) {
        this(tables, queues, buckets, functions, routes, queueMappings, kafkaMappings, schedules, kafkaTopics, region,
                List.of());
    }

    /** A spec in the default region. */
    public CloudSpec(List<TableSpec> tables, List<QueueSpec> queues, List<BucketSpec> buckets,
                     List<FunctionSpec> functions, List<RouteSpec> routes, List<QueueMappingSpec> queueMappings,
                     List<KafkaMappingSpec> kafkaMappings, List<ScheduleSpec> schedules, List<String> kafkaTopics) {
        this(tables, queues, buckets, functions, routes, queueMappings, kafkaMappings, schedules, kafkaTopics,
                DEFAULT_REGION);
    }

    public static CloudSpec empty() {
        return new CloudSpec(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
