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
  description = "Kafka topics the local cloud creates besides those named by event source mappings (topics functions only produce to)."
  value       = concat(module.webhooks.kafka_topics, module.ratelimit.kafka_topics)
}

output "function_policies" {
  description = "Every function's inline IAM policy document (JSON) by function name; tests/policies.tftest.hcl audits them."
  value = merge(module.identity.policies, module.uploads.policies, module.shortener.policies, module.scheduler.policies,
  module.webhooks.policies, module.ratelimit.policies)
}
