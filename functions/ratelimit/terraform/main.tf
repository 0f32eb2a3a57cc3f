# The rate-limit module as its integration tests deploy it into the local cloud: an HTTP API, the shared identity
# resources (API key table and the kit's api-keys admin function, through which the tests create their callers,
# invokable by one named operator role) and modules/ratelimit, with one rule from configuration, the admin API
# reserved to the owner "ops", and a pre-auth budget of unknown API keys that does not refill during a test run.

data "aws_partition" "current" {}

locals {
  prefix   = "ratelimit-it"
  artifact = var.artifact != null ? var.artifact : "${path.root}/../target/function.zip"

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
    redis_url          = var.redis_url != null ? var.redis_url : "local-cloud://redis"
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

# JwtIT's variant of the stack: the gateway verifies tokens before any function runs, and the functions take the
# caller from the authorizer's claims.
resource "aws_apigatewayv2_authorizer" "jwt" {
  count            = var.jwt_issuer == null ? 0 : 1
  api_id           = aws_apigatewayv2_api.http.id
  authorizer_type  = "JWT"
  name             = "${local.prefix}-jwt"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_issuer
    audience = ["ratelimit-it"]
  }
}

module "identity" {
  source = "../../../infra/terraform/modules/identity"

  platform             = local.platform
  artifact             = local.artifact
  admin_principal_arns = ["arn:aws:iam::000000000000:role/operator"]
}

module "ratelimit" {
  source = "../../../infra/terraform/modules/ratelimit"

  platform       = local.platform
  artifact       = local.artifact
  api_keys_table = module.identity.api_keys_table
  admin_owners   = ["ops"]
  authorizer_id  = var.jwt_issuer == null ? null : aws_apigatewayv2_authorizer.jwt[0].id
  rules = concat([
    { id = "configured-global", algorithm = "gcra", limit = 1000000, windowSeconds = 60 },
    ], var.jwt_issuer == null ? [] : [
    # JwtIT: two callers of one key, each with a budget of their own.
    { id = "per-caller", algorithm = "token_bucket", limit = 2, windowSeconds = 3600 },
  ])
  settings = {
    # var.redis_timeout: 500 ms unless a test asks for production's 50 ms (see variables.tf).
    BLOCKS_RATELIMIT_REDIS_TIMEOUT = var.redis_timeout
    # 20 unknown-key lookups per client and instance, refilled over a day: SecurityIT's flood sees the limit
    # without a refill in between (the default refills one every 3 s).
    BLOCKS_IDENTITY_UNKNOWN_KEY_LIMIT  = "20"
    BLOCKS_IDENTITY_UNKNOWN_KEY_WINDOW = "PT24H"
  }
}
