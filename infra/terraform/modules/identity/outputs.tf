output "api_keys_table" {
  description = "Table of hashed API keys; give it to functions as BLOCKS_IDENTITY_API_KEYS_TABLE."
  value       = aws_dynamodb_table.api_keys.name
}

output "api_keys_table_arn" {
  description = "ARN of the API key table, built from its name (known at plan time), for read-only grants."
  value       = "${local.table_arn_prefix}/${local.keys_table}"
}

output "idempotency_table" {
  description = "Table of idempotency records; give it to functions as BLOCKS_IDEMPOTENCY_TABLE."
  value       = aws_dynamodb_table.idempotency.name
}

output "idempotency_table_arn" {
  description = "ARN of the idempotency table, built from its name."
  value       = "${local.table_arn_prefix}/${local.idempotency_table}"
}

output "admin_function_name" {
  description = "Invoke with {\"action\":\"create\",\"owner\":\"...\"} to issue an API key."
  value       = module.api_keys_admin.function_name
}

output "policies" {
  description = "The admin function's inline IAM policy document (JSON) by function name, for audits and the stack's policy tests."
  value       = { (module.api_keys_admin.function_name) = module.api_keys_admin.policy }
}

output "admin_function_alias_arn" {
  description = "The live alias of the api-keys admin function, the ARN admin_principal_arns may invoke."
  value       = module.api_keys_admin.alias_arn
}
