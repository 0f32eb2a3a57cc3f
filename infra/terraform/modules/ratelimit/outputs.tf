output "rules_table" {
  description = "The DynamoDB table of managed rules."
  value       = aws_dynamodb_table.rules.name
}

output "rules_table_arn" {
  description = "ARN of the rules table, built from its name (known at plan time)."
  value       = local.table_arn
}

output "function_names" {
  description = "Lambda function names by role."
  value       = { for role, f in module.function : role => f.function_name }
}

output "routes" {
  description = "Route keys of the HTTP API this module attaches: the check route and the rules admin routes."
  value       = concat([local.check_route], local.rules_routes)
}

output "kafka_topics" {
  description = "Kafka topics these functions only produce to: none."
  value       = []
}

output "policies" {
  description = "Each function's inline IAM policy document (JSON) by function name, for audits and the stack's policy tests."
  value       = { for role, f in module.function : f.function_name => f.policy }
}
