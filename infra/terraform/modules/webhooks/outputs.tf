output "function_names" {
  description = "Lambda function names by role."
  value       = { for role, f in module.function : role => f.function_name }
}

output "tables" {
  value = {
    sources   = aws_dynamodb_table.sources.name
    endpoints = aws_dynamodb_table.endpoints.name
    messages  = aws_dynamodb_table.messages.name
    dedupe    = aws_dynamodb_table.dedupe.name
  }
}

output "delivery_queue" {
  value = aws_sqs_queue.delivery.name
}

output "dead_letter_queue" {
  value = aws_sqs_queue.dead_letters.name
}

output "inbound_queue" {
  value = aws_sqs_queue.inbound.name
}

output "kms_key_alias" {
  value = module.secrets_key.alias_name
}

output "routes" {
  value = sort(keys(local.routes))
}

output "kafka_topics" {
  description = "Kafka topics webhooks-in only produces to (sources' destinations)."
  value       = local.inbound_topics
}

output "policies" {
  description = "Each function's inline IAM policy document (JSON) by function name, for audits and the stack's policy tests."
  value       = { for role, f in module.function : f.function_name => f.policy }
}
