output "api_endpoint" {
  description = "Base URL of the HTTP API (unknown until apply)."
  value       = aws_apigatewayv2_api.http.api_endpoint
}

output "api_id" {
  description = "Id of the HTTP API that capability modules attach routes to."
  value       = aws_apigatewayv2_api.http.id
}

output "account_id" {
  description = "Account the stack is planned for (000000000000 for local and localstack)."
  value       = local.account_id
}

output "kafka_topics" {
  description = "Every Kafka topic the stack uses, read by event source mappings or only produced to. On the stack's MSK cluster (kafka_cluster_arn) kafka-topics creates them on apply; on a Kafka given by kafka_bootstrap_servers operators create them; the local cloud creates them itself."
  value       = local.kafka_topics
}

output "function_policies" {
  description = "Every function's inline IAM policy document (JSON) by function name; tests/policies.tftest.hcl audits them."
  value = merge(module.identity.policies, module.uploads.policies, module.shortener.policies, module.scheduler.policies,
  module.webhooks.policies, module.ratelimit.policies, { for f in module.kafka_topics : f.function_name => f.policy })
}

output "network" {
  description = "Target aws: the VPC, private subnets and security groups (functions, redis, kafka, endpoints) of the functions that talk to Redis or Kafka. Null on local and localstack."
  value = local.aws ? {
    vpc_id             = module.network[0].vpc_id
    subnet_ids         = module.network[0].subnet_ids
    security_group_ids = module.network[0].security_group_ids
  } : null
}

output "kafka_cluster_arn" {
  description = "Target aws without kafka_bootstrap_servers: the MSK Serverless cluster, on which the topics of kafka_topics are to be created. Null otherwise."
  value       = local.create_kafka ? aws_msk_serverless_cluster.kafka[0].arn : null
}

output "audit" {
  description = "Every table's point-in-time recovery and encryption key, every queue's dead-letter queue, the queues that receive dead letters and the queues alarms watch, from all modules; tests/aws.tftest.hcl audits them."
  value = {
    tables                   = merge([for m in local.audited : m.tables]...)
    queues                   = merge([for m in local.audited : m.queues]...)
    dead_letter_destinations = concat([for m in local.audited : m.dead_letter_destinations]...)
    alarmed_queues           = concat([for m in local.audited : m.alarmed_queues]...)
  }
}
