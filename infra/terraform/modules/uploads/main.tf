# Direct uploads: clients send file bytes straight to S3 with presigned URLs; three functions keep the records.
#   uploads-api        HTTP: starts uploads, signs URLs (no network call per URL), completes and aborts them
#   uploads-events     SQS fed by S3 ObjectCreated notifications: verifies each object with HeadObject
#   uploads-reconciler schedule: completes uploads whose notification was lost, expires abandoned ones
#
# Plan-known convention (infra/terraform/README.md): names are built from the prefix, ARNs from names, and the
# functions get names in their environment, never URLs or computed ARNs.

locals {
  prefix     = var.platform.prefix
  bucket     = coalesce(var.bucket_name, "${local.prefix}-uploads-${var.platform.account_id}-${var.platform.region}")
  table      = "${local.prefix}-uploads"
  queue      = "${local.prefix}-uploads-events"
  dlq        = "${local.prefix}-uploads-events-dlq"
  key_prefix = "uploads/"
  api_keys   = coalesce(var.api_keys_table, "${local.prefix}-api-keys")

  sqs_arn      = "arn:${var.platform.partition}:sqs:${var.platform.region}:${var.platform.account_id}"
  queue_arn    = "${local.sqs_arn}:${local.queue}"
  table_arn    = "arn:${var.platform.partition}:dynamodb:${var.platform.region}:${var.platform.account_id}:table/${local.table}"
  api_keys_arn = "arn:${var.platform.partition}:dynamodb:${var.platform.region}:${var.platform.account_id}:table/${local.api_keys}"
  bucket_arn   = "arn:${var.platform.partition}:s3:::${local.bucket}"
  uploads_arn  = "${local.bucket_arn}/${local.key_prefix}*"

  # With a customer-managed bucket key, every role that reads or writes objects needs that key, and only for
  # data keys: GenerateDataKey to write (a presigned PUT or part upload carries the signer's permissions) and
  # Decrypt to read, to complete a multipart upload, or to HeadObject/GetObject a KMS-encrypted object.
  bucket_key     = var.kms_key_arn == null ? [] : [{ actions = ["kms:GenerateDataKey", "kms:Decrypt"], resources = [var.kms_key_arn] }]
  events_timeout = 30

  environment = merge({
    BLOCKS_PREFIX                  = local.prefix
    BLOCKS_UPLOADS_BUCKET          = local.bucket
    BLOCKS_UPLOADS_TABLE           = local.table
    BLOCKS_UPLOADS_KEY_PREFIX      = local.key_prefix
    BLOCKS_IDENTITY_API_KEYS_TABLE = local.api_keys
  }, var.settings)

  functions = {
    "uploads-api" = {
      # API Gateway gives up after 30 s; completing a 10,000-part upload takes S3 a few seconds.
      timeout     = 29
      permissions = { api = { principal = "apigateway.amazonaws.com", source_arn = "${var.platform.api_execution_arn}/*/*" } }
      statements = concat([
        { actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources = [local.table_arn] },
        { actions = ["dynamodb:Query"], resources = ["${local.table_arn}/index/dedup"] },
        { actions = ["dynamodb:GetItem"], resources = [local.api_keys_arn] },
        # Presigned URLs carry the signer's permissions, so these are all a URL can ever do: write, read and
        # manage multipart uploads under uploads/, nothing else in the bucket (s3:PutObject covers
        # CreateMultipartUpload, UploadPart and CompleteMultipartUpload).
        { actions = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], resources = [local.uploads_arn] },
      ], local.bucket_key)
    }
    "uploads-events" = {
      timeout     = local.events_timeout
      permissions = {}
      statements = concat([
        { actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"], resources = [local.queue_arn] },
        { actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.table_arn] },
        { actions = ["s3:GetObject", "s3:DeleteObject"], resources = [local.uploads_arn] },
      ], local.bucket_key)
    }
    "uploads-reconciler" = {
      timeout     = 300
      permissions = { schedule = { principal = "events.amazonaws.com", source_arn = "arn:${var.platform.partition}:events:${var.platform.region}:${var.platform.account_id}:rule/${local.prefix}-uploads-reconcile" } }
      statements = concat([
        { actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.table_arn] },
        { actions = ["dynamodb:Query"], resources = ["${local.table_arn}/index/open"] },
        { actions = ["s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], resources = [local.uploads_arn] },
      ], local.bucket_key)
    }
  }

  routes = [
    "POST /v1/uploads",
    "GET /v1/uploads/{id}",
    "POST /v1/uploads/{id}/parts",
    "POST /v1/uploads/{id}/complete",
    "DELETE /v1/uploads/{id}",
    "GET /v1/files/{fileId}",
    "GET /v1/files/{fileId}/content",
  ]
}

module "function" {
  source   = "../function"
  for_each = local.functions

  platform           = var.platform
  name               = "${local.prefix}-${each.key}"
  blocks_function    = each.key
  artifact           = var.artifact
  timeout_seconds    = each.value.timeout
  environment        = local.environment
  policy_statements  = each.value.statements
  invoke_permissions = each.value.permissions
}

# --- Bucket ---------------------------------------------------------------------------------------------------

resource "aws_s3_bucket" "uploads" {
  bucket        = local.bucket
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket                  = aws_s3_bucket.uploads.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_policy" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TlsOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [local.bucket_arn, "${local.bucket_arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
  # A bucket policy is refused while the public access block is being written.
  depends_on = [aws_s3_bucket_public_access_block.uploads]
}

resource "aws_s3_bucket_cors_configuration" "uploads" {
  count  = length(var.cors_allowed_origins) > 0 ? 1 : 0
  bucket = aws_s3_bucket.uploads.id

  cors_rule {
    allowed_origins = var.cors_allowed_origins
    allowed_methods = ["PUT", "POST", "GET", "HEAD"]
    allowed_headers = ["content-type", "content-length", "content-md5", "if-none-match", "x-amz-checksum-sha256", "x-amz-sdk-checksum-algorithm", "x-amz-date", "x-amz-content-sha256"]
    # A browser completing a multipart upload must read each part's ETag.
    expose_headers  = ["ETag", "x-amz-checksum-sha256"]
    max_age_seconds = 3000
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  queue {
    queue_arn     = local.queue_arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = local.key_prefix
  }

  depends_on = [aws_sqs_queue_policy.events]
}

# --- Events queue -----------------------------------------------------------------------------------------------

resource "aws_sqs_queue" "dlq" {
  name                      = local.dlq
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "events" {
  name = local.queue
  # AWS asks for at least six times the function timeout, so a batch being retried is not delivered twice.
  visibility_timeout_seconds = 6 * local.events_timeout
  receive_wait_time_seconds  = 20
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = "${local.sqs_arn}:${aws_sqs_queue.dlq.name}"
    maxReceiveCount     = var.events_max_receive_count
  })
}

resource "aws_sqs_queue_policy" "events" {
  queue_url = aws_sqs_queue.events.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "S3Notifications"
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = local.queue_arn
      Condition = {
        ArnEquals    = { "aws:SourceArn" = local.bucket_arn }
        StringEquals = { "aws:SourceAccount" = var.platform.account_id }
      }
    }]
  })
}

resource "aws_lambda_event_source_mapping" "events" {
  event_source_arn        = "${local.sqs_arn}:${aws_sqs_queue.events.name}"
  function_name           = module.function["uploads-events"].alias_arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]
}

# --- Table ------------------------------------------------------------------------------------------------------

resource "aws_dynamodb_table" "uploads" {
  name         = local.table
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "openShard"
    type = "S"
  }
  attribute {
    name = "createdAt"
    type = "N"
  }
  attribute {
    name = "dedupKey"
    type = "S"
  }

  # Sparse: only open uploads carry openShard, so the reconciler reads nothing else.
  global_secondary_index {
    name            = "open"
    hash_key        = "openShard"
    range_key       = "createdAt"
    projection_type = "ALL"
  }

  # Sparse: only completed files whose SHA-256 S3 confirmed carry dedupKey (owner + digest).
  global_secondary_index {
    name            = "dedup"
    hash_key        = "dedupKey"
    projection_type = "ALL"
  }

  # Records of uploads that never completed go away after BLOCKS_UPLOADS_RECORD_RETENTION.
  ttl {
    attribute_name = "purgeAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.platform.target == "aws"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = try(var.platform.data_key_arn, null)
  }
}

# --- Reconciler schedule ----------------------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "reconcile" {
  name                = "${local.prefix}-uploads-reconcile"
  schedule_expression = var.reconcile_schedule
}

resource "aws_cloudwatch_event_target" "reconcile" {
  rule = aws_cloudwatch_event_rule.reconcile.name
  arn  = module.function["uploads-reconciler"].alias_arn
}

# --- HTTP routes ------------------------------------------------------------------------------------------------

resource "aws_apigatewayv2_integration" "api" {
  api_id                 = var.platform.api_id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function["uploads-api"].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "api" {
  for_each = toset(local.routes)

  api_id             = var.platform.api_id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.api.id}"
  authorization_type = var.authorizer_id == null ? "NONE" : "JWT"
  authorizer_id      = var.authorizer_id
}

# --- Alarms -----------------------------------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${local.prefix}-uploads-events-dead-letters"
  alarm_description   = "S3 events that uploads-events could not handle are waiting in ${local.dlq}."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = local.dlq }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.platform.alarm_actions
}
