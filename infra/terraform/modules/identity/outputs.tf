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

output "audit" {
  description = "What the stack's offline tests audit, read from the resources themselves: each table's point-in-time recovery and encryption key; each queue's dead-letter queue (from its redrive policy); the queues that receive dead letters (redrive targets, event source mappings' failure destinations); the queues an alarm watches."
  value = {
    tables                   = { for t in [aws_dynamodb_table.api_keys, aws_dynamodb_table.idempotency] : t.name => { point_in_time_recovery = t.point_in_time_recovery[0].enabled, kms_key_arn = t.server_side_encryption[0].kms_key_arn } }
    queues                   = { for q in [] : q.name => try(element(split(":", jsondecode(q.redrive_policy).deadLetterTargetArn), 5), null) }
    dead_letter_destinations = [for m in [] : element(split(":", m.destination_config[0].on_failure[0].destination_arn), 5)]
    alarmed_queues           = [for a in [] : a.dimensions.QueueName if a.namespace == "AWS/SQS"]
  }
}
