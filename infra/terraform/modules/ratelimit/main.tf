# Rate limiting as a service: two Lambda functions from one artifact (functions/ratelimit).
#   ratelimit-api    HTTP: POST /v1/ratelimit/check, one Redis EVALSHA per decision, rules cached in process
#   ratelimit-rules  HTTP: PUT/GET/DELETE /v1/ratelimit/rules/{id}, the admin API of the rules table
#
# Plan-known convention (infra/terraform/README.md): names come from the prefix, ARNs are built from names, and the
# functions get names (and the platform's Redis URL) in their environment, never computed URLs or ARNs.

locals {
  prefix    = var.platform.prefix
  table     = "${local.prefix}-ratelimit-rules"
  api_keys  = coalesce(var.api_keys_table, "${local.prefix}-api-keys")
  table_arn = "arn:${var.platform.partition}:dynamodb:${var.platform.region}:${var.platform.account_id}:table/${local.table}"
  keys_arn  = "arn:${var.platform.partition}:dynamodb:${var.platform.region}:${var.platform.account_id}:table/${local.api_keys}"

  common_environment = merge({
    BLOCKS_PREFIX                  = local.prefix
    BLOCKS_RATELIMIT_RULES_TABLE   = local.table
    BLOCKS_RATELIMIT_RULES         = jsonencode(var.rules)
    BLOCKS_IDENTITY_API_KEYS_TABLE = local.api_keys
    }, length(var.admin_owners) > 0 ? { BLOCKS_RATELIMIT_ADMIN_OWNERS = join(",", var.admin_owners) } : {},
  var.settings)

  api_permission = {
    api = { principal = "apigateway.amazonaws.com", source_arn = "${var.platform.api_execution_arn}/*/*" }
  }

  # Least privilege, action by action; only ratelimit-api talks to Redis (Redis has no IAM: it is reached over
  # the network, through the VPC when var.vpc is set).
  functions = {
    "ratelimit-api" = {
      memory      = var.api_memory_mb
      environment = merge(local.common_environment, { QUARKUS_REDIS_HOSTS = var.platform.redis_url })
      vpc         = var.vpc
      statements = [
        # One consistent Scan per refresh period, never one per check.
        { actions = ["dynamodb:Scan"], resources = [local.table_arn] },
        { actions = ["dynamodb:GetItem"], resources = [local.keys_arn] },
      ]
    }
    "ratelimit-rules" = {
      memory      = 512
      environment = local.common_environment
      vpc         = null
      statements = [
        { actions = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem"], resources = [local.table_arn] },
        { actions = ["dynamodb:GetItem"], resources = [local.keys_arn] },
      ]
    }
  }

  check_route = "POST /v1/ratelimit/check"
  rules_routes = [
    "PUT /v1/ratelimit/rules/{id}",
    "GET /v1/ratelimit/rules/{id}",
    "DELETE /v1/ratelimit/rules/{id}",
  ]
}

module "function" {
  source   = "../function"
  for_each = local.functions

  platform           = var.platform
  name               = "${local.prefix}-${each.key}"
  blocks_function    = each.key
  artifact           = var.artifact
  memory_mb          = each.value.memory
  timeout_seconds    = 10
  environment        = each.value.environment
  vpc                = each.value.vpc
  policy_statements  = each.value.statements
  invoke_permissions = local.api_permission
}

# --- Rules table ------------------------------------------------------------------------------------------------

resource "aws_dynamodb_table" "rules" {
  name         = local.table
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  # Rules do not expire; stated, not left to the provider: the local cloud reads the plan.
  ttl {
    attribute_name = ""
    enabled        = false
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = try(var.platform.data_key_arn, null)
  }
}

# --- HTTP routes ------------------------------------------------------------------------------------------------
# One integration per function; every route names its integration directly.

resource "aws_apigatewayv2_integration" "check" {
  api_id                 = var.platform.api_id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function["ratelimit-api"].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "check" {
  api_id             = var.platform.api_id
  route_key          = local.check_route
  target             = "integrations/${aws_apigatewayv2_integration.check.id}"
  authorization_type = var.authorizer_id == null ? "NONE" : "JWT"
  authorizer_id      = var.authorizer_id
}

resource "aws_apigatewayv2_integration" "rules" {
  api_id                 = var.platform.api_id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function["ratelimit-rules"].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "rules" {
  for_each = toset(local.rules_routes)

  api_id             = var.platform.api_id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.rules.id}"
  authorization_type = var.authorizer_id == null ? "NONE" : "JWT"
  authorizer_id      = var.authorizer_id
}
