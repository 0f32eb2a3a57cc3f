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
  description = "Every Kafka topic the stack uses, read by event source mappings or only produced to: operators create them on the cluster (neither Terraform nor Lambda does), the local cloud creates them itself."
  value       = concat(module.webhooks.kafka_topics, module.ratelimit.kafka_topics, module.shortener.kafka_topics)
}

output "function_policies" {
  description = "Every function's inline IAM policy document (JSON) by function name; tests/policies.tftest.hcl audits them."
  value = merge(module.identity.policies, module.uploads.policies, module.shortener.policies, module.scheduler.policies,
  module.webhooks.policies, module.ratelimit.policies)
}
