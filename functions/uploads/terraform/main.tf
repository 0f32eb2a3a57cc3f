# The uploads module as its integration tests deploy it into the local cloud: the real module, an HTTP API, the
# API key table, and the kit's api-keys admin function (the tests create their callers through it). Settings are
# shrunk so that tests run in seconds: multipart from 6 MiB with 5 MiB parts, and a reconciler that looks at open
# uploads at once (200 a run) and expires uploads as soon as they expire.

data "aws_partition" "current" {}

locals {
  prefix   = "uploads-it"
  artifact = var.artifact != null ? var.artifact : "${path.root}/../target/function.zip"
  api_keys = "${local.prefix}-api-keys"

  platform = {
    target             = var.target
    prefix             = local.prefix
    region             = var.region
    partition          = data.aws_partition.current.partition
    account_id         = "000000000000"
    runtime            = "java21"
    architecture       = "x86_64"
    snap_start         = false
    log_retention_days = 1
    alarm_actions      = []
    api_id             = aws_apigatewayv2_api.http.id
    api_execution_arn  = aws_apigatewayv2_api.http.execution_arn
  }
}

resource "aws_apigatewayv2_api" "http" {
  name          = "${local.prefix}-api"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_dynamodb_table" "api_keys" {
  name         = local.api_keys
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "keyHash"

  attribute {
    name = "keyHash"
    type = "S"
  }

  # Written out so that the plan knows it (the local cloud reads the plan).
  ttl {
    attribute_name = "expiresAt"
    enabled        = false
  }
}

module "uploads" {
  source = "../../../infra/terraform/modules/uploads"

  platform       = local.platform
  artifact       = local.artifact
  api_keys_table = local.api_keys
  force_destroy  = true
  settings = {
    BLOCKS_UPLOADS_MULTIPART_THRESHOLD = "6291456"
    BLOCKS_UPLOADS_PART_SIZE           = "5242880"
    BLOCKS_UPLOADS_RECONCILE_AFTER     = "PT0S"
    BLOCKS_UPLOADS_EXPIRY_GRACE        = "PT0S"
    # 25 a shard: ReconcilerIT's two runs over 5,000 open uploads stay short
    BLOCKS_UPLOADS_RECONCILE_BATCH = "200"
  }
  # The tests fire it themselves.
  reconcile_schedule = "rate(1 day)"
}

module "api_keys" {
  source = "../../../infra/terraform/modules/function"

  platform        = local.platform
  name            = "${local.prefix}-api-keys"
  blocks_function = "api-keys"
  artifact        = local.artifact
  # Only the tests call it, once per test class, often on a cold and busy machine.
  timeout_seconds = 60
  environment     = { BLOCKS_IDENTITY_API_KEYS_TABLE = local.api_keys }
  policy_statements = [{
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = ["arn:${local.platform.partition}:dynamodb:${var.region}:000000000000:table/${local.api_keys}"]
  }]
}
