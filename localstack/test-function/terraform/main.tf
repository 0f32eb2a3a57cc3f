# The local cloud's own test deployment: one artifact deployed as five functions, one per trigger kind, each
# recording what it received in the test-records table. Environment BLOCKS_FUNCTION (set by the function
# module to the function name) selects the role inside the artifact.
#
# Follows the plan-known convention of infra/terraform/README.md: every name and every ARN another resource
# needs is built from names, so `terraform plan` alone tells the local cloud how everything is wired.

data "aws_caller_identity" "current" {
  count = var.target == "aws" ? 1 : 0
}

data "aws_partition" "current" {}

locals {
  account_id              = var.target == "aws" ? data.aws_caller_identity.current[0].account_id : "000000000000"
  partition               = data.aws_partition.current.partition
  artifact                = var.artifact != null ? var.artifact : "${path.root}/../target/function.zip"
  kafka_bootstrap_servers = var.kafka_bootstrap_servers != null ? var.kafka_bootstrap_servers : (var.target == "local" ? "local-cloud://kafka" : null)
  # Nothing creates Kafka topics on apply: the cluster's operators (or the local cloud) create those listed in
  # the kafka_topics output.
  events_topic = "test-events"

  platform = {
    region     = var.region
    partition  = local.partition
    account_id = local.account_id
    runtime    = var.lambda_runtime
  }

  sqs_arn        = "arn:${local.partition}:sqs:${var.region}:${local.account_id}"
  records_table  = "test-records"
  records_arn    = "arn:${local.partition}:dynamodb:${var.region}:${local.account_id}:table/${local.records_table}"
  work_queue     = "test-work"
  work_dlq       = "test-work-dlq"
  s3_events      = "test-s3-events"
  uploads_bucket = "test-uploads"

  records_statement = {
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query"]
    resources = [local.records_arn, "${local.records_arn}/index/*"]
  }
  consume_actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"]

  functions = {
    "test-http" = {
      timeout     = 10
      permissions = { api = { principal = "apigateway.amazonaws.com", source_arn = "${aws_apigatewayv2_api.http.execution_arn}/*/*" } }
      statements  = []
    }
    "test-sqs" = {
      # An SQS mapping needs the queue's visibility timeout (10 s) to be at least the
      # function timeout.
      timeout     = 10
      permissions = {}
      statements  = [{ actions = local.consume_actions, resources = ["${local.sqs_arn}:${local.work_queue}"] }]
    }
    "test-s3" = {
      timeout     = 10
      permissions = {}
      statements = [
        { actions = local.consume_actions, resources = ["${local.sqs_arn}:${local.s3_events}"] },
        { actions = ["s3:GetObject"], resources = ["arn:${local.partition}:s3:::${local.uploads_bucket}/*"] },
      ]
    }
    "test-schedule" = {
      timeout     = 10
      permissions = { schedule = { principal = "events.amazonaws.com", source_arn = aws_cloudwatch_event_rule.schedule.arn } }
      statements  = []
    }
    "test-invoke" = {
      timeout     = 10
      permissions = {}
      statements  = []
    }
  }
}

module "function" {
  source   = "../../../infra/terraform/modules/function"
  for_each = local.functions

  platform           = local.platform
  name               = each.key
  artifact           = local.artifact
  timeout_seconds    = each.value.timeout
  environment        = { TESTFN_RECORDS_TABLE = local.records_table }
  policy_statements  = concat([local.records_statement], each.value.statements)
  invoke_permissions = each.value.permissions
}

resource "aws_dynamodb_table" "records" {
  name         = local.records_table
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "kind"
    type = "S"
  }

  global_secondary_index {
    name            = "byKind"
    hash_key        = "kind"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }
}

# --- test-http: three routes on one integration -------------------------------------------------------------

resource "aws_apigatewayv2_api" "http" {
  name          = "test-api"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_apigatewayv2_integration" "http" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function["test-http"].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "http" {
  for_each = toset(["GET /hello/{name}", "POST /echo", "ANY /files/{proxy+}"])

  api_id    = aws_apigatewayv2_api.http.id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.http.id}"
}

# --- test-sqs: a work queue with a dead-letter queue ---------------------------------------------------------

resource "aws_sqs_queue" "work_dlq" {
  name = local.work_dlq
}

resource "aws_sqs_queue" "work" {
  name                       = local.work_queue
  visibility_timeout_seconds = 10
  redrive_policy = jsonencode({
    deadLetterTargetArn = "${local.sqs_arn}:${aws_sqs_queue.work_dlq.name}"
    maxReceiveCount     = 3
  })
}

resource "aws_lambda_event_source_mapping" "work" {
  event_source_arn        = "${local.sqs_arn}:${aws_sqs_queue.work.name}"
  function_name           = module.function["test-sqs"].alias_arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]
}

# --- test-s3: bucket notifications through a queue ----------------------------------------------------------

resource "aws_s3_bucket" "uploads" {
  bucket        = local.uploads_bucket
  force_destroy = true
}

resource "aws_sqs_queue" "s3_events" {
  name = local.s3_events
}

resource "aws_sqs_queue_policy" "s3_events" {
  queue_url = aws_sqs_queue.s3_events.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = "${local.sqs_arn}:${local.s3_events}"
      Condition = { ArnEquals = { "aws:SourceArn" = "arn:${local.partition}:s3:::${local.uploads_bucket}" } }
    }]
  })
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.bucket

  queue {
    queue_arn = "${local.sqs_arn}:${aws_sqs_queue.s3_events.name}"
    events    = ["s3:ObjectCreated:*"]
  }

  depends_on = [aws_sqs_queue_policy.s3_events]
}

resource "aws_lambda_event_source_mapping" "s3_events" {
  event_source_arn = "${local.sqs_arn}:${aws_sqs_queue.s3_events.name}"
  function_name    = module.function["test-s3"].alias_arn
  batch_size       = 10
}

# --- test-schedule ------------------------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "schedule" {
  name                = "test-schedule"
  schedule_expression = var.test_schedule
}

resource "aws_cloudwatch_event_target" "schedule" {
  rule = aws_cloudwatch_event_rule.schedule.name
  arn  = module.function["test-schedule"].alias_arn
}

# --- test-invoke: no trigger of its own besides a Kafka topic -------------------------------------------------

resource "aws_lambda_event_source_mapping" "events" {
  function_name     = module.function["test-invoke"].alias_arn
  topics            = [local.events_topic]
  starting_position = "TRIM_HORIZON"
  batch_size        = 100

  self_managed_event_source {
    endpoints = { KAFKA_BOOTSTRAP_SERVERS = local.kafka_bootstrap_servers }
  }

  self_managed_kafka_event_source_config {
    consumer_group_id = "test-invoke"
  }

  lifecycle {
    precondition {
      condition     = local.kafka_bootstrap_servers != null
      error_message = "Targets aws and localstack need kafka_bootstrap_servers."
    }
  }
}
