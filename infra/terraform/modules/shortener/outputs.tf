output "table_name" {
  description = "The DynamoDB table of links and their click counters."
  value       = aws_dynamodb_table.links.name
}

output "clicks_topic" {
  description = "The Kafka topic of the click stream (redirect and clicks-replay produce, the clicks mapping reads)."
  value       = local.clicks_topic
}

output "clicks_failed_queue" {
  description = "SQS queue of the records of click batches the clicks mapping gave up on (offsets to replay from Kafka)."
  value       = aws_sqs_queue.clicks_failed.name
}

output "clicks_spool_queue" {
  description = "SQS queue of clicks Kafka could not take, published into the stream by clicks-replay; its dead-letter queue is <name>-dlq."
  value       = aws_sqs_queue.clicks_spool.name
}

output "kafka_topics" {
  description = "Kafka topics the module uses (the click stream), to be created on the cluster: nothing creates them on apply."
  value       = [local.clicks_topic]
}

output "function_names" {
  description = "Lambda function names by role."
  value       = { for role, f in module.function : role => f.function_name }
}

output "routes" {
  description = "Route keys of the HTTP API this module attaches: the links API and the redirect."
  value       = sort(concat(local.links_api_routes, [local.redirect_route]))
}

output "policies" {
  description = "Each function's inline IAM policy document (JSON) by function name, for audits and the stack's policy tests."
  value       = { for role, f in module.function : f.function_name => f.policy }
}

output "audit" {
  description = "What the stack's offline tests audit, read from the resources themselves: each table's point-in-time recovery and encryption key; each queue's dead-letter queue (from its redrive policy); the queues that receive dead letters (redrive targets, event source mappings' failure destinations); the queues an alarm watches."
  value = {
    tables                   = { for t in [aws_dynamodb_table.links] : t.name => { point_in_time_recovery = t.point_in_time_recovery[0].enabled, kms_key_arn = t.server_side_encryption[0].kms_key_arn } }
    queues                   = { for q in [aws_sqs_queue.clicks_spool, aws_sqs_queue.clicks_spool_dlq, aws_sqs_queue.clicks_failed] : q.name => try(element(split(":", jsondecode(q.redrive_policy).deadLetterTargetArn), 5), null) }
    dead_letter_destinations = [for m in [aws_lambda_event_source_mapping.clicks] : element(split(":", m.destination_config[0].on_failure[0].destination_arn), 5)]
    alarmed_queues           = [for a in values(aws_cloudwatch_metric_alarm.queue_waiting) : a.dimensions.QueueName if a.namespace == "AWS/SQS"]
  }
}
