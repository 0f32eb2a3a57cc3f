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

output "audit" {
  description = "What the stack's offline tests audit, read from the resources themselves: each table's point-in-time recovery and encryption key; each queue's dead-letter queue (from its redrive policy); the queues that receive dead letters (redrive targets, event source mappings' failure destinations); the queues an alarm watches."
  value = {
    tables                   = { for t in [aws_dynamodb_table.jobs] : t.name => { point_in_time_recovery = t.point_in_time_recovery[0].enabled, kms_key_arn = t.server_side_encryption[0].kms_key_arn } }
    queues                   = { for q in [aws_sqs_queue.runs, aws_sqs_queue.dead_letters] : q.name => try(element(split(":", jsondecode(q.redrive_policy).deadLetterTargetArn), 5), null) }
    dead_letter_destinations = [for m in [] : element(split(":", m.destination_config[0].on_failure[0].destination_arn), 5)]
    alarmed_queues           = [for a in [aws_cloudwatch_metric_alarm.dead_letters, aws_cloudwatch_metric_alarm.backlog] : a.dimensions.QueueName if a.namespace == "AWS/SQS"]
  }
}
