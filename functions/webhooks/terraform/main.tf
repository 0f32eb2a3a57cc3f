# Webhooks on their own, for the module's integration tests: the HTTP API, the shared API-key table with its admin
# function, and modules/webhooks with test-sized timings. The root stack (infra/terraform) wires the same module
# beside every other capability with production settings.

data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = "000000000000"
  artifact   = "${path.root}/../target/function.zip"
  keys_table = "${var.prefix}-api-keys"
  # SecurityIT's own inbound destinations (two tenants, the replay checks): what each received is exactly what
  # that test sent there, with no other test's events in between.
  security_queues = [for q in ["tenant-a", "tenant-b", "replay"] : "${var.prefix}-inbound-${q}"]

  platform = {
    target                  = var.target
    prefix                  = var.prefix
    region                  = var.region
    partition               = local.partition
    account_id              = local.account_id
    runtime                 = "java21"
    snap_start              = false
    kafka_bootstrap_servers = var.kafka_bootstrap_servers != null ? var.kafka_bootstrap_servers : "local-cloud://kafka"
    api_id                  = aws_apigatewayv2_api.http.id
    api_execution_arn       = aws_apigatewayv2_api.http.execution_arn
  }
}

resource "aws_apigatewayv2_api" "http" {
  name          = "${var.prefix}-api"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_dynamodb_table" "api_keys" {
  name         = local.keys_table
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "keyHash"

  attribute {
    name = "keyHash"
    type = "S"
  }

  # No TTL; said explicitly so that the plan knows it (the local cloud reads the plan).
  ttl {
    attribute_name = ""
    enabled        = false
  }
}

# The kit's admin command for API keys, reached through the Invoke API only; every artifact carries it.
module "api_keys" {
  source = "../../../infra/terraform/modules/function"

  platform        = local.platform
  name            = "${var.prefix}-api-keys"
  blocks_function = "api-keys"
  artifact        = local.artifact
  environment     = { BLOCKS_IDENTITY_API_KEYS_TABLE = local.keys_table }
  policy_statements = [{
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = ["arn:${local.partition}:dynamodb:${var.region}:${local.account_id}:table/${local.keys_table}"]
  }]
}

resource "aws_sqs_queue" "security" {
  for_each = toset(local.security_queues)
  name     = each.key
}

module "webhooks" {
  source = "../../../infra/terraform/modules/webhooks"

  platform          = local.platform
  artifact          = local.artifact
  api_keys_table    = local.keys_table
  inbound_queues    = local.security_queues
  delivery_schedule = var.delivery_schedule
  delivery_jitter   = 0.1
  # A receiver that hangs costs this long per attempt; short, so that the breaker test stays quick.
  delivery_timeout   = "5s"
  breaker_threshold  = var.breaker_threshold
  breaker_open       = var.breaker_open
  endpoint_cache_ttl = "1s"
  # Messages stored but never queued are swept this soon (tests fire the schedule themselves).
  sweep_after      = "3s"
  source_cache_ttl = "2s"
  # The tests' receivers listen on the test JVM's loopback under this name (mapped by the tests' hosts file);
  # every other private address, and every other name resolving to one, stays refused.
  allowed_private_hosts = ["receiver.blocks.test"]
  extra_environment     = var.java_tool_options == "" ? {} : { JAVA_TOOL_OPTIONS = var.java_tool_options }
  deliverer_concurrency = 4
}
