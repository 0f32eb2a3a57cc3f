output "bucket" {
  description = "The uploads bucket."
  value       = aws_s3_bucket.uploads.bucket
}

output "table" {
  description = "The DynamoDB table of uploads."
  value       = aws_dynamodb_table.uploads.name
}

output "events_queue" {
  description = "The queue S3 notifications go to."
  value       = aws_sqs_queue.events.name
}

output "events_dead_letter_queue" {
  description = "Where S3 events end that uploads-events could not handle; alarm on its depth."
  value       = aws_sqs_queue.dlq.name
}

output "function_names" {
  description = "Lambda function names by role."
  value       = { for role, f in module.function : role => f.function_name }
}

output "routes" {
  description = "Route keys of the HTTP API this module attaches (the uploads API)."
  value       = local.routes
}

output "policies" {
  description = "Each function's inline IAM policy document (JSON) by function name, for audits and the stack's policy tests."
  value       = { for role, f in module.function : f.function_name => f.policy }
}
