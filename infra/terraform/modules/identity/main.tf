# What every capability's management API shares: hashed API keys (functions/kit identity), the idempotency
# table (functions/kit idempotency), and the api-keys admin function, reached through the Invoke API only, by the
# IAM principals named in admin_principal_arns and nobody else in this stack.
# Any artifact can host the admin function: every one carries the kit.

locals {
  keys_table        = "${var.platform.prefix}-api-keys"
  idempotency_table = "${var.platform.prefix}-idempotency"
  table_arn_prefix  = "arn:${var.platform.partition}:dynamodb:${var.platform.region}:${var.platform.account_id}:table"
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

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = try(var.platform.data_key_arn, null)
  }
}

resource "aws_dynamodb_table" "idempotency" {
  name         = local.idempotency_table
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = try(var.platform.data_key_arn, null)
  }
}

module "api_keys_admin" {
  source = "../function"

  platform        = var.platform
  name            = "${var.platform.prefix}-api-keys"
  blocks_function = "api-keys"
  artifact        = var.artifact
  environment     = { BLOCKS_IDENTITY_API_KEYS_TABLE = local.keys_table }
  policy_statements = [{
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = ["${local.table_arn_prefix}/${local.keys_table}"]
  }]
}

# Operators only: one grant per named principal, on the live alias (what an operator invokes with --qualifier live).
# No route, no event source, no other function of the stack is given lambda:InvokeFunction on this function.
resource "aws_lambda_permission" "operator" {
  for_each = { for arn in var.admin_principal_arns : "operator-${substr(sha256(arn), 0, 16)}" => arn }

  statement_id  = each.key
  action        = "lambda:InvokeFunction"
  function_name = module.api_keys_admin.function_name
  qualifier     = module.api_keys_admin.alias_name
  principal     = each.value
}
