# Root stack: the pieces every capability shares. Capabilities are added as module calls (modules/shortener,
# modules/uploads, modules/scheduler, modules/webhooks, modules/ratelimit) that receive local.platform and
# build their functions with modules/function.
#
# Plan-known convention (see README.md): the local cloud reads this stack from `terraform plan`, where anything
# computed at apply time is unknown. Names come from variables and locals, ARNs that another resource needs are
# built from names (local.arn, passed on as platform.arn), and functions get resource names, never URLs or real ARNs.

data "aws_caller_identity" "current" {
  # Only a real account has an identity to ask for; local and localstack plans must work without credentials.
  count = var.target == "aws" ? 1 : 0
}

data "aws_partition" "current" {}

locals {
  account_id     = var.target == "aws" ? data.aws_caller_identity.current[0].account_id : "000000000000"
  partition      = data.aws_partition.current.partition
  artifacts_root = var.artifacts_root != null ? var.artifacts_root : "${path.module}/../.."

  # Given ones win; else the stack's own on aws (network.tf), the local cloud's tokens on local, none on localstack.
  redis_url               = var.redis_url != null ? var.redis_url : (var.target == "local" ? "local-cloud://redis" : local.created_redis_url)
  kafka_bootstrap_servers = var.kafka_bootstrap_servers != null ? var.kafka_bootstrap_servers : (var.target == "local" ? "local-cloud://kafka" : (local.create_kafka ? aws_msk_serverless_cluster.kafka[0].bootstrap_brokers_sasl_iam : null))

  # Prefixes of ARNs built from names: "${arn.sqs}:<queue>", "${arn.dynamodb}/<table>", "${arn.s3}:<bucket>",
  # "${arn.lambda}:<function>"; in a capability module e.g. "${var.platform.arn.sqs}:${var.platform.prefix}-jobs".
  arn = {
    sqs      = "arn:${local.partition}:sqs:${var.region}:${local.account_id}"
    dynamodb = "arn:${local.partition}:dynamodb:${var.region}:${local.account_id}:table"
    s3       = "arn:${local.partition}:s3::"
    lambda   = "arn:${local.partition}:lambda:${var.region}:${local.account_id}:function"
  }

  # Everything a capability module needs from the stack, passed as one object. modules/function reads the
  # attributes it declares and ignores the rest.
  platform = {
    target                  = var.target
    prefix                  = var.prefix
    region                  = var.region
    partition               = local.partition
    account_id              = local.account_id
    arn                     = local.arn
    artifacts_root          = local.artifacts_root
    runtime                 = var.lambda_runtime
    architecture            = var.lambda_architecture
    snap_start              = var.snap_start
    log_retention_days      = var.log_retention_days
    alarm_actions           = var.alarm_actions
    tracing                 = var.tracing
    artifact_objects        = local.artifact_objects
    data_key_arn            = local.aws ? module.data_key[0].arn : null
    redis_url               = local.redis_url
    kafka_bootstrap_servers = local.kafka_bootstrap_servers
    api_id                  = aws_apigatewayv2_api.http.id
    api_execution_arn       = aws_apigatewayv2_api.http.execution_arn
  }
}

# Target aws: the customer-managed key every table is encrypted with (platform.data_key_arn), so the account decides
# who may use the data at rest and CloudTrail shows each use; DynamoDB uses it through grants, not the roles. Off aws
# the tables keep the service's own key (the local cloud and LocalStack encrypt nothing with it).
module "data_key" {
  source = "./modules/secrets_key"
  count  = var.target == "aws" ? 1 : 0

  platform    = { partition = local.partition, account_id = local.account_id }
  alias       = "alias/${var.prefix}-data"
  description = "${var.prefix}: encrypts the stack's DynamoDB tables"
}

# The one HTTP API (payload format 2.0) that capability modules attach their routes and integrations to.
resource "aws_apigatewayv2_api" "http" {
  name          = "${var.prefix}-api"
  protocol_type = "HTTP"

  lifecycle {
    precondition {
      condition     = var.target != "localstack" || (var.redis_url != null && var.kafka_bootstrap_servers != null)
      error_message = "Target localstack needs redis_url and kafka_bootstrap_servers (LocalStack has no Redis or Kafka of its own)."
    }
    # jobs-worker stays outside the VPC (its HTTP targets need the internet, and the VPC has no NAT), so it cannot
    # reach the stack's MSK cluster; nor does it speak SASL/IAM yet.
    precondition {
      condition     = !local.create_kafka || length(var.allowed_topic_targets) == 0
      error_message = "allowed_topic_targets needs a Kafka that jobs-worker reaches from outside the VPC without IAM: set kafka_bootstrap_servers, or leave allowed_topic_targets empty while the stack creates MSK."
    }
  }
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}

# API keys, idempotency records and the api-keys admin command (hosted by any artifact: all carry the kit).
module "identity" {
  source = "./modules/identity"

  platform             = local.platform
  artifact             = local.artifact_paths.uploads
  admin_principal_arns = var.operator_principal_arns
}

# Direct uploads to S3 with presigned URLs, completed by S3 events (functions/uploads).
module "uploads" {
  source = "./modules/uploads"

  platform       = local.platform
  artifact       = local.artifact_paths.uploads
  api_keys_table = "${var.prefix}-api-keys"
  kms_key_arn    = var.uploads_kms_key_arn
}

# Link shortener: links-api, redirect and clicks (modules/shortener/README is in functions/shortener/README.md).
module "shortener" {
  source = "./modules/shortener"

  platform       = local.platform
  artifact       = local.artifact_paths.shortener
  api_keys_table = "${var.prefix}-api-keys"
  code_key       = var.shortener_code_key
  visitor_secret = var.shortener_visitor_secret

  # Every shortener role talks to Redis (and the redirect, clicks and clicks-replay to Kafka).
  vpc               = local.redis_function_vpc
  msk               = local.msk_with_topics
  extra_environment = merge(local.redis_environment, local.kafka_environment)
}

# Job scheduler: jobs-api, jobs-dispatcher and jobs-worker (functions/scheduler/README.md).
module "scheduler" {
  source = "./modules/scheduler"

  # jobs-worker runs outside the VPC (HTTP targets need the internet): the stack's MSK is out of its reach, so on aws
  # the scheduler gets Kafka servers only when they are given (see the precondition on the HTTP API).
  platform       = merge(local.platform, { kafka_bootstrap_servers = local.create_kafka ? null : local.kafka_bootstrap_servers })
  artifact       = local.artifact_paths.scheduler
  api_keys_table = "${var.prefix}-api-keys"

  # The only functions, queues and topics jobs may reach; the module refuses this stack's own.
  allowed_function_targets = var.allowed_function_targets
  allowed_queue_targets    = var.allowed_queue_targets
  allowed_topic_targets    = var.allowed_topic_targets
}

# Webhooks: webhooks-in, webhooks-out, webhooks-deliverer and webhooks-sweeper (functions/webhooks/README.md).
module "webhooks" {
  source = "./modules/webhooks"

  platform       = local.platform
  artifact       = local.artifact_paths.webhooks
  api_keys_table = "${var.prefix}-api-keys"

  # webhooks-in publishes to Kafka destinations; the other roles stay outside the VPC (deliveries need the internet).
  vpc               = local.function_vpc
  msk               = local.msk_with_topics
  extra_environment = local.kafka_environment
}

# Rate limiting as a service: ratelimit-api (checks) and ratelimit-rules (admin API) (functions/ratelimit/README.md).
module "ratelimit" {
  source = "./modules/ratelimit"

  platform       = local.platform
  artifact       = local.artifact_paths.ratelimit
  api_keys_table = "${var.prefix}-api-keys"
  admin_owners   = var.ratelimit_admin_owners

  # ratelimit-api talks to Redis; the module puts only it in the VPC.
  vpc      = local.redis_function_vpc
  settings = local.redis_environment
}
