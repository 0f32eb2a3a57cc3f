output "function_name" {
  description = "The function's name."
  value       = aws_lambda_function.this.function_name
}

output "arn" {
  description = "Unqualified function ARN, built from the name (known at plan time)."
  value       = local.arn
}

output "alias_arn" {
  description = "ARN of the live alias: what event source mappings, schedules and notifications should target."
  value       = local.alias_arn
}

output "alias_name" {
  description = "Qualifier of the live alias, for aws_lambda_permission resources made outside this module."
  value       = aws_lambda_alias.live.name
}

output "invoke_arn" {
  description = "API Gateway integration URI of the live alias, built from the name (known at plan time)."
  value       = local.invoke_arn
}

output "role_name" {
  description = "The function's IAM role, for attaching more policies outside this module."
  value       = aws_iam_role.this.name
}

output "log_group_name" {
  description = "The function's log group, /aws/lambda/<name>."
  value       = aws_cloudwatch_log_group.this.name
}

output "policy" {
  description = "The role's inline policy document (JSON), so stacks and their tests can audit what each function may do."
  value       = aws_iam_role_policy.this.policy
}
