# Webhooks: webhooks-in (verified inbound webhooks, HTTP), webhooks-out (the outbound API, HTTP),
# webhooks-deliverer (SQS) and webhooks-sweeper (EventBridge schedule: queues messages a publisher stored but never
# queued), four Lambda functions from one artifact; tables for sources, endpoints, events and
# messages, and dedupe records; the delivery queue with its dead-letter queue; a customer-managed KMS key for
# the stored secrets. Follows the plan-known convention of infra/terraform/README.md: names and ARNs are built
# from names, functions receive names (the KMS key by its alias), never URLs or computed ARNs.

locals {
  prefix         = var.platform.prefix
  local          = var.platform.target == "local"
  sources_table  = "${local.prefix}-webhooks-sources"
  endpoints      = "${local.prefix}-webhooks-endpoints"
  messages       = "${local.prefix}-webhooks-messages"
  dedupe         = "${local.prefix}-webhooks-dedupe"
  delivery_queue = "${local.prefix}-webhooks-delivery"
  dead_letters   = "${local.prefix}-webhooks-delivery-dlq"
  inbound_queue  = "${local.prefix}-webhooks-inbound"
  inbound_topic  = "${local.prefix}-webhooks-inbound"
  key_alias      = "alias/${local.prefix}-webhooks-secrets"
  inbound_queues = concat([local.inbound_queue], var.inbound_queues)
  inbound_topics = concat([local.inbound_topic], var.inbound_topics)
  sweep_rule     = "${local.prefix}-webhooks-sweep"

  table_arn     = "arn:${var.platform.partition}:dynamodb:${var.platform.region}:${var.platform.account_id}:table"
  sqs_arn       = "arn:${var.platform.partition}:sqs:${var.platform.region}:${var.platform.account_id}"
  sources_arn   = "${local.table_arn}/${local.sources_table}"
  endpoints_arn = "${local.table_arn}/${local.endpoints}"
  messages_arn  = "${local.table_arn}/${local.messages}"
  dedupe_arn    = "${local.table_arn}/${local.dedupe}"
  keys_arn      = "${local.table_arn}/${var.api_keys_table}"
  delivery_arn  = "${local.sqs_arn}:${local.delivery_queue}"
  dlq_arn       = "${local.sqs_arn}:${local.dead_letters}"

  environment = merge({
    BLOCKS_PREFIX                                  = local.prefix
    BLOCKS_IDENTITY_API_KEYS_TABLE                 = var.api_keys_table
    BLOCKS_IDEMPOTENCY_TABLE                       = local.dedupe
    BLOCKS_WEBHOOKS_SOURCES_TABLE                  = local.sources_table
    BLOCKS_WEBHOOKS_ENDPOINTS_TABLE                = local.endpoints
    BLOCKS_WEBHOOKS_MESSAGES_TABLE                 = local.messages
    BLOCKS_WEBHOOKS_SECRETS_CIPHER                 = local.local ? "aes-gcm" : "kms"
    BLOCKS_WEBHOOKS_SECRETS_KMS_KEY_ID             = local.key_alias
    BLOCKS_WEBHOOKS_SECRETS_LOCAL_KEY              = local.local ? var.local_secrets_key : ""
    BLOCKS_WEBHOOKS_INBOUND_QUEUES                 = join(",", local.inbound_queues)
    BLOCKS_WEBHOOKS_INBOUND_TOPICS                 = join(",", local.inbound_topics)
    BLOCKS_WEBHOOKS_INBOUND_SOURCE_CACHE_TTL       = var.source_cache_ttl
    BLOCKS_WEBHOOKS_KAFKA_BOOTSTRAP_SERVERS        = var.platform.kafka_bootstrap_servers != null ? var.platform.kafka_bootstrap_servers : ""
    BLOCKS_WEBHOOKS_DELIVERY_QUEUE                 = local.delivery_queue
    BLOCKS_WEBHOOKS_DELIVERY_DEAD_LETTER_QUEUE     = local.dead_letters
    BLOCKS_WEBHOOKS_DELIVERY_SCHEDULE              = var.delivery_schedule
    BLOCKS_WEBHOOKS_DELIVERY_JITTER                = tostring(var.delivery_jitter)
    BLOCKS_WEBHOOKS_DELIVERY_TIMEOUT               = var.delivery_timeout
    BLOCKS_WEBHOOKS_DELIVERY_BREAKER_THRESHOLD     = tostring(var.breaker_threshold)
    BLOCKS_WEBHOOKS_DELIVERY_BREAKER_OPEN          = var.breaker_open
    BLOCKS_WEBHOOKS_DELIVERY_DISABLE_AFTER         = var.disable_after
    BLOCKS_WEBHOOKS_DELIVERY_ENDPOINT_CACHE_TTL    = var.endpoint_cache_ttl
    BLOCKS_WEBHOOKS_DELIVERY_ALLOWED_PRIVATE_HOSTS = join(",", var.allowed_private_hosts)
    BLOCKS_WEBHOOKS_EVENTS_SWEEP_AFTER             = var.sweep_after
  }, var.extra_environment)

  api_permission = {
    api = { principal = "apigateway.amazonaws.com", source_arn = "${var.platform.api_execution_arn}/*/*" }
  }
  kms_use     = { actions = ["kms:Encrypt", "kms:Decrypt"], resources = [module.secrets_key.arn] }
  idempotency = { actions = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"], resources = [local.dedupe_arn] }

  # Least privilege, action by action: what each role's code calls, on the resources it needs.
  functions = {
    "webhooks-in" = {
      memory = 1024
      # Just under the HTTP API's 30 s integration limit: a cold instance on a busy host must not time out.
      timeout = 29
      statements = [
        { actions = ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"], resources = [local.sources_arn] },
        { actions = ["dynamodb:Query"], resources = ["${local.sources_arn}/index/receive-id"] },
        local.idempotency,
        { actions = ["dynamodb:GetItem"], resources = [local.keys_arn] },
        { actions = ["sqs:SendMessage", "sqs:GetQueueUrl"], resources = [for q in local.inbound_queues : "${local.sqs_arn}:${q}"] },
        local.kms_use,
      ]
      permissions = local.api_permission
    }
    "webhooks-out" = {
      memory  = 1024
      timeout = 29
      statements = [
        { actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"], resources = [local.endpoints_arn] },
        { actions = ["dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.messages_arn] },
        { actions = ["dynamodb:Query"], resources = ["${local.messages_arn}/index/failed"] },
        local.idempotency,
        { actions = ["dynamodb:GetItem"], resources = [local.keys_arn] },
        { actions = ["sqs:SendMessage", "sqs:GetQueueUrl"], resources = [local.delivery_arn] },
        local.kms_use,
      ]
      permissions = local.api_permission
    }
    "webhooks-deliverer" = {
      memory  = var.deliverer_memory_mb
      timeout = 45
      statements = [
        { actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.endpoints_arn] },
        { actions = ["dynamodb:BatchGetItem", "dynamodb:UpdateItem"], resources = [local.messages_arn] },
        { actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility", "sqs:SendMessage", "sqs:GetQueueUrl"], resources = [local.delivery_arn] },
        { actions = ["sqs:SendMessage", "sqs:GetQueueUrl"], resources = [local.dlq_arn] },
        { actions = ["kms:Decrypt"], resources = [module.secrets_key.arn] },
      ]
      permissions = {}
    }
    "webhooks-sweeper" = {
      memory  = 512
      timeout = 120
      statements = [
        { actions = ["dynamodb:UpdateItem"], resources = [local.messages_arn] },
        { actions = ["dynamodb:Query"], resources = ["${local.messages_arn}/index/unsent"] },
        { actions = ["sqs:SendMessage", "sqs:GetQueueUrl"], resources = [local.delivery_arn] },
      ]
      permissions = { schedule = { principal = "events.amazonaws.com", source_arn = "arn:${var.platform.partition}:events:${var.platform.region}:${var.platform.account_id}:rule/${local.sweep_rule}" } }
    }
  }

  # Only webhooks-in reaches Kafka (it publishes to Kafka destinations), so only it runs in the VPC; the others
  # stay outside, where the deliverer reaches receivers on the internet (the VPC has no NAT).
  network_roles = toset(["webhooks-in"])
  # Outside the VPC Kafka is out of reach: those roles get no servers (they never publish).
  environment_outside_vpc = var.vpc == null ? local.environment : merge(local.environment, { BLOCKS_WEBHOOKS_KAFKA_BOOTSTRAP_SERVERS = "" })
  # On MSK (target aws), IAM decides who may publish to which topic.
  kafka_statements = var.msk == null ? {} : {
    "webhooks-in" = [
      # Kafka producers are idempotent by default, which MSK authorizes on the cluster.
      { actions = ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"], resources = [var.msk.cluster_arn] },
      { actions = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"], resources = [for t in local.inbound_topics : "${var.msk.topic_arn_prefix}/${t}"] },
    ]
  }

  routes = {
    "GET /v1/hooks/sources"             = "webhooks-in"
    "PUT /v1/hooks/sources/{source}"    = "webhooks-in"
    "GET /v1/hooks/sources/{source}"    = "webhooks-in"
    "DELETE /v1/hooks/sources/{source}" = "webhooks-in"
    "POST /v1/hooks/{sourceId}"         = "webhooks-in"
    "POST /v1/endpoints"                = "webhooks-out"
    "GET /v1/endpoints"                 = "webhooks-out"
    "GET /v1/endpoints/{id}"            = "webhooks-out"
    "PATCH /v1/endpoints/{id}"          = "webhooks-out"
    "DELETE /v1/endpoints/{id}"         = "webhooks-out"
    "POST /v1/endpoints/{id}/recover"   = "webhooks-out"
    "POST /v1/events"                   = "webhooks-out"
    "GET /v1/messages/{id}"             = "webhooks-out"
    "GET /v1/messages/{id}/attempts"    = "webhooks-out"
  }
}

module "function" {
  source   = "../function"
  for_each = local.functions

  platform           = var.platform
  name               = "${local.prefix}-${each.key}"
  blocks_function    = each.key
  artifact           = var.artifact
  memory_mb          = each.value.memory
  timeout_seconds    = each.value.timeout
  environment        = contains(local.network_roles, each.key) ? local.environment : local.environment_outside_vpc
  vpc                = contains(local.network_roles, each.key) ? var.vpc : null
  policy_statements  = concat(each.value.statements, try(local.kafka_statements[each.key], []))
  invoke_permissions = each.value.permissions
}

# --- secrets: a customer-managed key, rotated yearly; the account administers it, IAM grants its use -----------

module "secrets_key" {
  source = "../secrets_key"

  platform             = var.platform
  alias                = local.key_alias
  description          = "${local.prefix} webhooks: encrypts the secrets of sources and endpoints"
  deletion_window_days = var.kms_deletion_window_days
}

# The key was a resource of this module before modules/secrets_key: existing deployments keep it.
moved {
  from = aws_kms_key.secrets
  to   = module.secrets_key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.secrets
  to   = module.secrets_key.aws_kms_alias.this
}

# --- tables ------------------------------------------------------------------------------------------------------

# Sources by owner and name (names are per owner); the public receive path finds one by its random receive id
# through the index "receive-id". Keyed by "source" alone before sources were owner-scoped: that table is replaced.
resource "aws_dynamodb_table" "sources" {
  name         = local.sources_table
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "owner"
  range_key    = "name"

  attribute {
    name = "owner"
    type = "S"
  }
  attribute {
    name = "name"
    type = "S"
  }
  attribute {
    name = "id"
    type = "S"
  }

  global_secondary_index {
    name            = "receive-id"
    hash_key        = "id"
    projection_type = "ALL"
  }

  # No TTL; said explicitly so that the plan knows it (the local cloud reads the plan).
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

resource "aws_dynamodb_table" "endpoints" {
  name         = local.endpoints
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "owner"
  range_key    = "id"

  attribute {
    name = "owner"
    type = "S"
  }
  attribute {
    name = "id"
    type = "S"
  }

  # No TTL; said explicitly so that the plan knows it (the local cloud reads the plan).
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

# Events (evt_…) and messages (msg_…); failed messages are also filed under their endpoint for recovery.
resource "aws_dynamodb_table" "messages" {
  name         = local.messages
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "failedEndpoint"
    type = "S"
  }
  attribute {
    name = "failedAt"
    type = "S"
  }
  attribute {
    name = "unsentShard"
    type = "S"
  }
  attribute {
    name = "unsentSince"
    type = "S"
  }

  global_secondary_index {
    name               = "failed"
    hash_key           = "failedEndpoint"
    range_key          = "failedAt"
    projection_type    = "INCLUDE"
    non_key_attributes = ["eventId", "owner", "round"]
  }

  # Events whose messages are not all on the delivery queue yet (sparse: the attributes go once all are queued).
  global_secondary_index {
    name               = "unsent"
    hash_key           = "unsentShard"
    range_key          = "unsentSince"
    projection_type    = "INCLUDE"
    non_key_attributes = ["owner", "eventType", "unsent"]
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

# Inbound event ids and event idempotency keys (the kit's idempotency records), removed by TTL.
resource "aws_dynamodb_table" "dedupe" {
  name         = local.dedupe
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

# --- queues -------------------------------------------------------------------------------------------------------

resource "aws_sqs_queue" "dead_letters" {
  name                      = local.dead_letters
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

# Each attempt is its own message (delayed up to 15 min, chained beyond); the redrive only catches messages
# whose handling itself keeps failing.
resource "aws_sqs_queue" "delivery" {
  name                       = local.delivery_queue
  visibility_timeout_seconds = 6 * local.functions["webhooks-deliverer"].timeout
  message_retention_seconds  = 345600
  receive_wait_time_seconds  = 20
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = "${local.sqs_arn}:${aws_sqs_queue.dead_letters.name}"
    maxReceiveCount     = 5
  })
}

# Verified inbound webhooks for the deployment's own consumers; a message their consumer keeps failing goes to the
# dead-letter queue after 10 receives instead of blocking, and waits there (alarmed) to be redriven.
resource "aws_sqs_queue" "inbound" {
  name                      = local.inbound_queue
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = "${local.sqs_arn}:${aws_sqs_queue.inbound_dead_letters.name}"
    maxReceiveCount     = 10
  })
}

resource "aws_sqs_queue" "inbound_dead_letters" {
  name                      = "${local.inbound_queue}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_lambda_event_source_mapping" "delivery" {
  event_source_arn        = "${local.sqs_arn}:${aws_sqs_queue.delivery.name}"
  function_name           = module.function["webhooks-deliverer"].alias_arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.deliverer_concurrency
  }
}

# --- sweeper schedule ------------------------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "sweep" {
  name                = local.sweep_rule
  schedule_expression = var.sweep_schedule
}

resource "aws_cloudwatch_event_target" "sweep" {
  rule = aws_cloudwatch_event_rule.sweep.name
  arn  = module.function["webhooks-sweeper"].alias_arn
}

# --- HTTP API routes -------------------------------------------------------------------------------------------

# One integration per route (over the same keys), so that the plan says which function each route reaches.
resource "aws_apigatewayv2_integration" "route" {
  for_each = local.routes

  api_id                 = var.platform.api_id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function[each.value].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "route" {
  for_each = local.routes

  api_id    = var.platform.api_id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.route[each.key].id}"
}

# --- alarms ------------------------------------------------------------------------------------------------------

# Anything in the dead-letter queue is a message that will not be delivered without a recover.
resource "aws_cloudwatch_metric_alarm" "queue_waiting" {
  for_each = {
    "dead-letters" = {
      queue       = local.dead_letters
      description = "Webhook messages gave up after the whole retry schedule (${local.dead_letters})."
    }
    "inbound-dead-letters" = {
      queue       = aws_sqs_queue.inbound_dead_letters.name
      description = "Inbound webhooks the deployment's consumer failed 10 times wait in ${aws_sqs_queue.inbound_dead_letters.name}: redrive them to ${local.inbound_queue} once the consumer is fixed."
    }
  }

  alarm_name          = "${local.prefix}-webhooks-${each.key}"
  alarm_description   = each.value.description
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value.queue }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.platform.alarm_actions
}

moved {
  from = aws_cloudwatch_metric_alarm.dead_letters
  to   = aws_cloudwatch_metric_alarm.queue_waiting["dead-letters"]
}
