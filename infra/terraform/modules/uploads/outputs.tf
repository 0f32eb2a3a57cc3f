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

output "audit" {
  description = "What the stack's offline tests audit, read from the resources themselves: each table's point-in-time recovery and encryption key; each queue's dead-letter queue (from its redrive policy); each bucket's public access block and TLS-only policy; the queues that receive dead letters (redrive targets, event source mappings' failure destinations); the queues an alarm watches."
  value = {
    tables                   = { for t in [aws_dynamodb_table.uploads] : t.name => { point_in_time_recovery = t.point_in_time_recovery[0].enabled, kms_key_arn = t.server_side_encryption[0].kms_key_arn } }
    queues                   = { for q in [aws_sqs_queue.events, aws_sqs_queue.dlq] : q.name => try(element(split(":", jsondecode(q.redrive_policy).deadLetterTargetArn), 5), null) }
    dead_letter_destinations = [for m in [] : element(split(":", m.destination_config[0].on_failure[0].destination_arn), 5)]
    alarmed_queues           = [for a in [aws_cloudwatch_metric_alarm.dead_letters] : a.dimensions.QueueName if a.namespace == "AWS/SQS"]
    buckets = { (aws_s3_bucket.uploads.bucket) = {
      public_access_blocked = alltrue([aws_s3_bucket_public_access_block.uploads.block_public_acls, aws_s3_bucket_public_access_block.uploads.block_public_policy, aws_s3_bucket_public_access_block.uploads.ignore_public_acls, aws_s3_bucket_public_access_block.uploads.restrict_public_buckets])
      tls_only              = anytrue([for st in jsondecode(aws_s3_bucket_policy.uploads.policy).Statement : st.Effect == "Deny" && try(st.Condition.Bool["aws:SecureTransport"], "") == "false" && st.Action == "s3:*"])
    } }
  }
}
