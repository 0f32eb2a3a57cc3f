# The scheduler on its own, for the module's integration tests: the HTTP API, the shared API-key table with its
# admin function, modules/scheduler with test-sized timings, and the targets jobs may reach (outside the prefix,
# listed explicitly: a queue, a Kafka topic and two functions). The root stack
# (infra/terraform) wires the same module beside every other capability with production timings.

data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = "000000000000"
  artifact   = "${path.root}/../target/function.zip"
  keys_table = "${var.prefix}-api-keys"

  # Targets outside this stack's names ("ext-" is not "<prefix>-"), the only ones jobs may reach.
  sink_queue    = "ext-${var.prefix}-sink"
  sink_topic    = "ext-${var.prefix}-sink"
  sink_function = "ext-${var.prefix}-keys"
  slow_function = "ext-${var.prefix}-slow"

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

  # Stated even though unused: a table without a ttl block leaves ttl unknown in the plan.
  ttl {
    attribute_name = ""
    enabled        = false
  }
}

# The kit's admin command for API keys, reached through the Invoke API only; every artifact carries it. Jobs may
# never target it (SecurityIT tries).
module "api_keys" {
  source = "../../../infra/terraform/modules/function"

  platform        = local.platform
  name            = "${var.prefix}-api-keys"
  blocks_function = "api-keys"
  artifact        = local.artifact
  timeout_seconds = 60
  environment     = { BLOCKS_IDENTITY_API_KEYS_TABLE = local.keys_table }
  policy_statements = [{
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = ["arn:${local.partition}:dynamodb:${var.region}:${local.account_id}:table/${local.keys_table}"]
  }]
}

# A function outside the stack that jobs may invoke: the same admin role deployed under another name, so that a
# run's effect (a key that then opens the jobs API) is visible to DeliveryIT.
module "sink_function" {
  source = "../../../infra/terraform/modules/function"

  platform        = local.platform
  name            = local.sink_function
  blocks_function = "api-keys"
  artifact        = local.artifact
  # The worker waits for a Lambda target as long as its timeout allows (plus 10 s), within an attempt's share of
  # the 45 s lease (45 - 10 early - 5 = 30 s): a timeout of 20 s at most here.
  timeout_seconds = 20
  environment     = { BLOCKS_IDENTITY_API_KEYS_TABLE = local.keys_table }
  policy_statements = [{
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = ["arn:${local.partition}:dynamodb:${var.region}:${local.account_id}:table/${local.keys_table}"]
  }]
}

# A function that runs longer than the worker's HTTP deadline (target_timeout): the test function's invoke role,
# which sleeps for the event's sleepMillis (localstack/test-function, built before this module by the reactor).
module "slow_function" {
  source = "../../../infra/terraform/modules/function"

  platform        = local.platform
  name            = local.slow_function
  blocks_function = "test-invoke"
  artifact        = "${path.root}/../../../localstack/test-function/target/function.zip"
  timeout_seconds = 15
}

module "scheduler" {
  source = "../../../infra/terraform/modules/scheduler"

  platform                    = local.platform
  artifact                    = local.artifact
  api_keys_table              = local.keys_table
  dispatcher_cadence_seconds  = var.dispatcher_cadence_seconds
  dispatcher_lead_seconds     = 30
  dispatcher_margin_seconds   = 2
  dispatcher_lookback_seconds = 60
  lease_grace_seconds         = 20
  bucket_seconds              = 10
  shards                      = 4
  # Several partitions per owner even in tests, so that every listing merges them.
  owner_shards      = 4
  run_lease_seconds = var.run_lease_seconds
  max_receive_count = 12
  target_timeout    = var.target_timeout
  # The tests' HTTP targets listen on the test JVM's loopback; every other private address stays refused.
  allowed_private_hosts = ["127.0.0.1"]
  # The only queue, topic and function jobs may target.
  allowed_queue_targets    = [local.sink_queue]
  allowed_topic_targets    = [local.sink_topic]
  allowed_function_targets = [local.sink_function, local.slow_function]
  worker_concurrency       = 3
  # A busy test machine answers slowly: runs arrive 10 s early and in batches of up to 100, so that a burst due
  # in one second is read, claimed and waiting in the worker when its second comes.
  early_seconds                  = 10
  worker_batch_size              = 100
  worker_batching_window_seconds = 1
  worker_threads                 = 100
  # One dispatcher process is enough locally, and keeps slow cold starts from piling up JVMs.
  dispatcher_reserved_concurrency = 1
}

# A queue that jobs of the tests deliver to.
resource "aws_sqs_queue" "sink" {
  name = local.sink_queue
}
