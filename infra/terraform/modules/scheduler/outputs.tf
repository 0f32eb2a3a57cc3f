output "table_name" {
  description = "The DynamoDB table of jobs and their runs."
  value       = aws_dynamodb_table.jobs.name
}

output "queue_name" {
  description = "The SQS queue of due runs, delayed to their second, that jobs-worker consumes."
  value       = aws_sqs_queue.runs.name
}

output "dead_letter_queue_name" {
  description = "Where runs end that jobs-worker could not handle; alarm on its depth."
  value       = aws_sqs_queue.dead_letters.name
}

output "function_names" {
  description = "Lambda function names by role."
  value       = { for role, f in module.function : role => f.function_name }
}

output "routes" {
  description = "Route keys of the HTTP API this module attaches (the jobs API)."
  value       = local.routes
}

output "kafka_topics" {
  description = "Kafka topics the scheduler only produces to: none of its own (topic targets are the jobs' choice)."
  value       = []
}

output "policies" {
  description = "Each function's inline IAM policy document (JSON) by function name, for audits and the stack's policy tests."
  value       = { for role, f in module.function : f.function_name => f.policy }
}
