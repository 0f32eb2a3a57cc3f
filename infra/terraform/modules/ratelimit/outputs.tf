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

output "audit" {
  description = "What the stack's offline tests audit, read from the resources themselves: each table's point-in-time recovery and encryption key; each queue's dead-letter queue (from its redrive policy); the queues that receive dead letters (redrive targets, event source mappings' failure destinations); the queues an alarm watches."
  value = {
    tables                   = { for t in [aws_dynamodb_table.rules] : t.name => { point_in_time_recovery = t.point_in_time_recovery[0].enabled, kms_key_arn = t.server_side_encryption[0].kms_key_arn } }
    queues                   = { for q in [] : q.name => try(element(split(":", jsondecode(q.redrive_policy).deadLetterTargetArn), 5), null) }
    dead_letter_destinations = [for m in [] : element(split(":", m.destination_config[0].on_failure[0].destination_arn), 5)]
    alarmed_queues           = [for a in [] : a.dimensions.QueueName if a.namespace == "AWS/SQS"]
  }
}
