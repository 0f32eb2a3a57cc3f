package dev.blocks.localcloud.spec;

import java.util.List;

/**
 * Everything the local cloud creates and wires, as read from a Terraform plan of the local target.
 * The plan is the single source of truth: a wiring mistake in Terraform shows up here too.
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
        List<String> kafkaTopics) {

    public static CloudSpec empty() {
        return new CloudSpec(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
