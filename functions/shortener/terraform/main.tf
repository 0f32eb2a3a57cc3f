# The shortener on its own, for the module's integration tests: the HTTP API, the shared API-key table with its
# admin function, and modules/shortener. The root stack (infra/terraform) wires the same module beside every
# other capability; this smaller stack keeps the tests independent of artifacts other modules build.

data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = "000000000000"
  artifact   = "${path.root}/../target/function.zip"
  keys_table = "${var.prefix}-api-keys"

  platform = {
    target                  = var.target
    prefix                  = var.prefix
    region                  = var.region
    partition               = local.partition
    account_id              = local.account_id
    runtime                 = "java21"
    snap_start              = false
    redis_url               = var.redis_url != null ? var.redis_url : "local-cloud://redis"
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

  # Stated, not left to the provider: the local cloud reads the plan, where an omitted block is unknown.
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

module "shortener" {
  source = "../../../infra/terraform/modules/shortener"

  platform       = local.platform
  artifact       = local.artifact
  api_keys_table = local.keys_table
  own_hosts      = ["sho.rt"]

  # Test values, public like target local's development values: this stack runs only in the tests' clouds
  # (local and LocalStack). CodeUniquenessIT's workers scramble with the same key.
  code_key       = "7362128813402948873"
  visitor_secret = "shortener-test-stack-visitor-secret-not-secret"

  # Lower than the defaults so RateLimitIT reaches them in a few hundred requests, and high enough that the
  # other tests (one API key each, all from 127.0.0.1) stay far below them.
  create_rate_limits = [
    { id = "links-create-per-key", algorithm = "token_bucket", limit = 100, windowSeconds = 60, burst = 0, keyBy = ["apiKey"], route = "POST /v1/links" },
    { id = "links-create-per-ip", algorithm = "sliding_window", limit = 200, windowSeconds = 60, keyBy = ["ip"], route = "POST /v1/links" },
  ]

  # A linger longer than the freeze takes: a click the redirect did not wait for would sit in the producer's buffer
  # of a frozen environment, and ClickStatsIT's single click on a quiet link would never arrive.
  click_publishing = { linger = "150ms", delivery_deadline = "5s" }

  # A spooled batch the broker refused comes back after the shortest visibility the function's timeout allows, so
  # FaultIT sees the outage's clicks counted seconds after the broker is back.
  click_spool = { visibility_timeout_seconds = 10 }

  # One retry instead of the module's 5: ClickFailuresIT's poison click reaches clicks-failed seconds sooner (the
  # local cloud backs off 0.5 s, 1 s, 2 s... between retries), with the same bisection and destination.
  clicks_retry_attempts = 1

  # Unknown codes per client IP: 30 at once, then one per 10 s. SecurityIT spends it from an address of its own in
  # a few dozen redirects (the slow refill keeps the refusal in force while it checks that refused guesses read
  # nothing); the other tests look up a handful of unknown codes from 127.0.0.1.
  miss_rate_limits = [
    { id = "redirect-misses-per-ip", algorithm = "token_bucket", limit = 6, windowSeconds = 60, burst = 24, keyBy = ["ip"], route = "GET /{code}" },
  ]
}
