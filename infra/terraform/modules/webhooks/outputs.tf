output "function_names" {
  description = "Lambda function names by role."
  value       = { for role, f in module.function : role => f.function_name }
}

output "tables" {
  description = "DynamoDB table names: sources, endpoints, messages and dedupe."
  value = {
    sources   = aws_dynamodb_table.sources.name
    endpoints = aws_dynamodb_table.endpoints.name
    messages  = aws_dynamodb_table.messages.name
    dedupe    = aws_dynamodb_table.dedupe.name
  }
}

output "delivery_queue" {
  description = "The SQS queue of deliveries that webhooks-deliverer consumes."
  value       = aws_sqs_queue.delivery.name
}

output "dead_letter_queue" {
  description = "Where deliveries end that webhooks-deliverer could not handle; alarm on its depth."
  value       = aws_sqs_queue.dead_letters.name
}

output "inbound_queue" {
  description = "The default destination queue of verified inbound webhooks (<prefix>-webhooks-inbound)."
  value       = aws_sqs_queue.inbound.name
}

output "kms_key_alias" {
  description = "Alias of the key that encrypts the secrets of sources and endpoints."
  value       = module.secrets_key.alias_name
}

output "routes" {
  description = "Route keys of the HTTP API this module attaches (inbound webhooks and the outbound API)."
  value       = sort(keys(local.routes))
}

output "kafka_topics" {
  description = "Kafka topics webhooks-in only produces to (sources' destinations)."
  value       = local.inbound_topics
}

output "policies" {
  description = "Each function's inline IAM policy document (JSON) by function name, for audits and the stack's policy tests."
  value       = { for role, f in module.function : f.function_name => f.policy }
}

output "audit" {
  description = "What the stack's offline tests audit, read from the resources themselves: each table's point-in-time recovery and encryption key; each queue's dead-letter queue (from its redrive policy); the queues that receive dead letters (redrive targets, event source mappings' failure destinations); the queues an alarm watches."
  value = {
    tables                   = { for t in [aws_dynamodb_table.sources, aws_dynamodb_table.endpoints, aws_dynamodb_table.messages, aws_dynamodb_table.dedupe] : t.name => { point_in_time_recovery = t.point_in_time_recovery[0].enabled, kms_key_arn = t.server_side_encryption[0].kms_key_arn } }
    queues                   = { for q in [aws_sqs_queue.delivery, aws_sqs_queue.dead_letters, aws_sqs_queue.inbound, aws_sqs_queue.inbound_dead_letters] : q.name => try(element(split(":", jsondecode(q.redrive_policy).deadLetterTargetArn), 5), null) }
    dead_letter_destinations = [for m in [] : element(split(":", m.destination_config[0].on_failure[0].destination_arn), 5)]
    alarmed_queues           = [for a in values(aws_cloudwatch_metric_alarm.queue_waiting) : a.dimensions.QueueName if a.namespace == "AWS/SQS"]
  }
}
