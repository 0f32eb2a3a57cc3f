output "table_name" {
  value = aws_dynamodb_table.jobs.name
}

output "queue_name" {
  value = aws_sqs_queue.runs.name
}

output "dead_letter_queue_name" {
  value = aws_sqs_queue.dead_letters.name
}

output "function_names" {
  description = "Lambda function names by role."
  value       = { for role, f in module.function : role => f.function_name }
}

output "routes" {
  value = local.routes
}

output "kafka_topics" {
  description = "Kafka topics the scheduler only produces to: none of its own (topic targets are the jobs' choice)."
  value       = []
}

output "policies" {
  description = "Each function's inline IAM policy document (JSON) by function name, for audits and the stack's policy tests."
  value       = { for role, f in module.function : f.function_name => f.policy }
}
