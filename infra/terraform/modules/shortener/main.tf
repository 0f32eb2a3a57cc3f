# The link shortener: links-api (write side), redirect (read side) and clicks (Kafka consumer), three Lambda
# functions from one artifact. Follows the plan-known convention of infra/terraform/README.md: every name and
# ARN is built from names, functions receive names (never URLs or computed ARNs), and Redis/Kafka endpoints come
# from the platform (local-cloud:// tokens on target local).

locals {
  prefix       = var.platform.prefix
  table        = "${local.prefix}-links"
  table_arn    = "arn:${var.platform.partition}:dynamodb:${var.platform.region}:${var.platform.account_id}:table/${local.table}"
  keys_arn     = "arn:${var.platform.partition}:dynamodb:${var.platform.region}:${var.platform.account_id}:table/${var.api_keys_table}"
  clicks_topic = "${local.prefix}-${var.clicks_topic}"
  # Where the clicks mapping sends the record of a batch it gives up on (offsets only: the clicks stay in Kafka).
  clicks_failed     = "${local.prefix}-clicks-failed"
  clicks_failed_arn = "arn:${var.platform.partition}:sqs:${var.platform.region}:${var.platform.account_id}:${local.clicks_failed}"
  # Clicks Kafka could not take, until clicks-replay publishes them.
  clicks_spool         = "${local.prefix}-clicks-spool"
  clicks_spool_arn     = "arn:${var.platform.partition}:sqs:${var.platform.region}:${var.platform.account_id}:${local.clicks_spool}"
  clicks_spool_dlq     = "${local.prefix}-clicks-spool-dlq"
  clicks_spool_dlq_arn = "arn:${var.platform.partition}:sqs:${var.platform.region}:${var.platform.account_id}:${local.clicks_spool_dlq}"
  base_url             = var.base_url != null ? var.base_url : (var.platform.target == "local" ? "local-cloud://gateway" : "")

  # Development values, for target local only (the local cloud on a developer's machine): they are public, so
  # targets aws and localstack must be given their own (see the precondition on the links table).
  dev_code_key       = "7362128813402948873"
  dev_visitor_secret = "local-only-visitor-secret-not-for-any-account"
  code_key           = var.code_key != null ? var.code_key : (var.platform.target == "local" ? local.dev_code_key : null)
  visitor_secret     = var.visitor_secret != null ? var.visitor_secret : (var.platform.target == "local" ? local.dev_visitor_secret : null)

  # Each secret reaches only the role that uses it. Outside the local cloud it is a SecureString parameter under the
  # module's KMS key, written write-only (never in state) and read once per cold start by the kit
  # (BLOCKS_SECRET_PARAMETERS, dev.blocks.kit.config.SecretParameters); a function's environment would show it to
  # anyone who may read the function's configuration. The local cloud has no SSM: there it is an environment variable.
  secrets_in_ssm = var.platform.target != "local"
  secrets = {
    code_key = {
      property  = "blocks.shortener.codes.key"
      variable  = "BLOCKS_SHORTENER_CODES_KEY"
      parameter = "/${local.prefix}/shortener/code-key"
      value     = local.code_key
    }
    visitor_secret = {
      property  = "blocks.shortener.clicks.visitor-secret"
      variable  = "BLOCKS_SHORTENER_CLICKS_VISITOR_SECRET"
      parameter = "/${local.prefix}/shortener/visitor-secret"
      value     = local.visitor_secret
    }
  }
  parameter_arn = { for name, secret in local.secrets : name => "arn:${var.platform.partition}:ssm:${var.platform.region}:${var.platform.account_id}:parameter${secret.parameter}" }
  secret_environment = { for role, f in local.functions : role => (
    local.secrets_in_ssm
    ? (length(f.secrets) == 0 ? {} : { BLOCKS_SECRET_PARAMETERS = join(",", [for name in f.secrets : "${local.secrets[name].property}=${local.secrets[name].parameter}"]) })
    : { for name in f.secrets : local.secrets[name].variable => local.secrets[name].value }
  ) }
  secret_statements = { for role, f in local.functions : role => (!local.secrets_in_ssm || length(f.secrets) == 0 ? [] : [
    { actions = ["ssm:GetParameters"], resources = [for name in f.secrets : local.parameter_arn[name]] },
    { actions = ["kms:Decrypt"], resources = [module.secrets_key[0].arn] },
  ]) }

  # Only when the deployment names rules: otherwise the function's documented defaults apply.
  rate_limit_environment = merge(
    var.create_rate_limits == null ? {} : { BLOCKS_SHORTENER_RATE_LIMIT_RULES = jsonencode(var.create_rate_limits) },
    var.miss_rate_limits == null ? {} : { BLOCKS_SHORTENER_MISS_LIMIT_RULES = jsonencode(var.miss_rate_limits) },
  )

  environment = merge(local.rate_limit_environment, {
    BLOCKS_PREFIX                            = local.prefix
    BLOCKS_SHORTENER_TABLE                   = local.table
    BLOCKS_SHORTENER_BASE_URL                = local.base_url
    BLOCKS_SHORTENER_OWN_HOSTS               = join(",", var.own_hosts)
    BLOCKS_SHORTENER_KAFKA_BOOTSTRAP_SERVERS = var.platform.kafka_bootstrap_servers
    BLOCKS_SHORTENER_KAFKA_TOPIC             = local.clicks_topic
    BLOCKS_SHORTENER_KAFKA_LINGER            = var.click_publishing.linger
    BLOCKS_SHORTENER_KAFKA_DELIVERY_DEADLINE = var.click_publishing.delivery_deadline
    BLOCKS_SHORTENER_CLICKS_SPOOL_QUEUE      = local.clicks_spool
    BLOCKS_SHORTENER_REDIS_KEY_PREFIX        = "${local.prefix}:shortener:"
    QUARKUS_REDIS_HOSTS                      = var.platform.redis_url
    BLOCKS_IDENTITY_API_KEYS_TABLE           = var.api_keys_table
  }, var.extra_environment)

  api_permission = {
    api = { principal = "apigateway.amazonaws.com", source_arn = "${var.platform.api_execution_arn}/*/*" }
  }

  # Least privilege, action by action: what each role's code calls, on the one table it needs.
  functions = {
    "links-api" = {
      memory  = 512
      secrets = ["code_key"]
      statements = [
        # UpdateItem claims each block of codes against the counter's durable high-water mark (one write per 1000 codes).
        { actions = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"], resources = [local.table_arn] },
        { actions = ["dynamodb:GetItem"], resources = [local.keys_arn] },
      ]
      permissions = local.api_permission
    }
    "redirect" = {
      memory  = var.redirect_memory_mb
      secrets = ["visitor_secret"]
      statements = [
        # UpdateItem counts visits of links that have maxVisits.
        { actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.table_arn] },
        # Clicks Kafka cannot take go to the spool.
        { actions = ["sqs:SendMessage", "sqs:GetQueueUrl"], resources = [local.clicks_spool_arn] },
      ]
      permissions = local.api_permission
    }
    "clicks" = {
      memory  = 512
      secrets = []
      statements = [
        # GetItem only where a refused counter update does not return the stored offsets (DynamoDB does); UpdateItem
        # also claims spooled clicks.
        { actions = ["dynamodb:UpdateItem", "dynamodb:GetItem"], resources = [local.table_arn] },
        # Lambda sends the on-failure records of the clicks mapping with the function's execution role.
        { actions = ["sqs:SendMessage"], resources = [local.clicks_failed_arn] },
      ]
      permissions = {}
    }
    "clicks-replay" = {
      memory  = 512
      secrets = []
      statements = [
        # The mapping receives and deletes with the function's role; the function itself only publishes to Kafka.
        { actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"], resources = [local.clicks_spool_arn] },
      ]
      permissions = {}
    }
  }

  # On MSK (target aws), IAM decides who may produce to and consume from the click stream, by topic and group ARN.
  clicks_group = "${local.prefix}-clicks"
  kafka_statements = var.msk == null ? {} : {
    "redirect"      = local.clicks_producer
    "clicks-replay" = local.clicks_producer
    "clicks" = [
      # What the clicks mapping's pollers call with the function's role (AWSLambdaMSKExecutionRole's actions, by ARN).
      { actions = ["kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers", "kafka-cluster:Connect", "kafka-cluster:DescribeClusterDynamicConfiguration"], resources = [var.msk.cluster_arn] },
      { actions = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], resources = ["${var.msk.topic_arn_prefix}/${local.clicks_topic}"] },
      { actions = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"], resources = ["${var.msk.group_arn_prefix}/${local.clicks_group}"] },
      # The pollers' network interfaces in the cluster's subnets; EC2 has no resource-level permissions for these.
      { actions = ["ec2:DescribeVpcs", "ec2:DescribeSecurityGroups"], resources = ["*"] },
    ]
  }
  clicks_producer = var.msk == null ? [] : [
    # Kafka producers are idempotent by default, which MSK authorizes on the cluster.
    { actions = ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"], resources = [var.msk.cluster_arn] },
    { actions = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"], resources = ["${var.msk.topic_arn_prefix}/${local.clicks_topic}"] },
  ]

  links_api_routes = ["POST /v1/links", "GET /v1/links/{code}", "DELETE /v1/links/{code}", "GET /v1/links/{code}/stats"]
  redirect_route   = "GET /{code}"
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
  environment        = merge(local.environment, local.secret_environment[each.key])
  vpc                = var.vpc
  policy_statements  = concat(each.value.statements, try(local.kafka_statements[each.key], []), local.secret_statements[each.key])
  invoke_permissions = each.value.permissions
}

# --- secrets: SecureString parameters under the module's key (not on target local) -------------------------------

module "secrets_key" {
  source = "../secrets_key"
  count  = local.secrets_in_ssm ? 1 : 0

  platform             = var.platform
  alias                = "alias/${local.prefix}-shortener-secrets"
  description          = "${local.prefix} shortener: encrypts the code key and the visitor secret"
  deletion_window_days = var.kms_deletion_window_days
}

resource "aws_ssm_parameter" "secret" {
  for_each = local.secrets_in_ssm ? local.secrets : {}

  name        = each.value.parameter
  description = "${local.prefix} shortener: ${each.value.property}"
  type        = "SecureString"
  key_id      = module.secrets_key[0].arn
  # Write-only: the value goes to SSM and never into Terraform's state. Raise secrets_version to write new values.
  # Null only when the precondition on the links table already refuses the plan; "" keeps the argument given.
  value_wo         = each.value.value != null ? each.value.value : ""
  value_wo_version = var.secrets_version
}

# --- links table: links (sk = link) and their click counters (sk = stats) ------------------------------------

resource "aws_dynamodb_table" "links" {
  name         = local.table
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

  # Expired links are removed by TTL (lazily: the functions check expiresAt on every read).
  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = try(var.platform.data_key_arn, null)
  }

  lifecycle {
    # On the module's own table because a precondition needs a resource: the condition spans two inputs and the target.
    precondition {
      condition     = local.code_key != null && local.visitor_secret != null
      error_message = "Targets aws and localstack need code_key (a random non-zero 64-bit integer) and visitor_secret (a random string of at least 32 characters): only target local has development values, and they are public."
    }
  }
}

# --- HTTP API routes -----------------------------------------------------------------------------------------
# One integration and one route resource per function, so that every route names its integration directly.

resource "aws_apigatewayv2_integration" "links_api" {
  api_id                 = var.platform.api_id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function["links-api"].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "links_api" {
  for_each = toset(local.links_api_routes)

  api_id    = var.platform.api_id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.links_api.id}"
}

resource "aws_apigatewayv2_integration" "redirect" {
  api_id                 = var.platform.api_id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function["redirect"].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "redirect" {
  api_id    = var.platform.api_id
  route_key = local.redirect_route
  target    = "integrations/${aws_apigatewayv2_integration.redirect.id}"
}

# --- click stream ----------------------------------------------------------------------------------------------

resource "aws_lambda_event_source_mapping" "clicks" {
  function_name     = module.function["clicks"].alias_arn
  topics            = [local.clicks_topic]
  starting_position = "TRIM_HORIZON"
  batch_size        = var.clicks_batch_size
  # Waiting a little fills batches, and every batch costs one counter update per code, not per click.
  maximum_batching_window_in_seconds = 1

  # The stack's MSK cluster on aws (IAM: the function's role); elsewhere a self-managed Kafka at the platform's servers.
  event_source_arn = var.msk != null ? var.msk.cluster_arn : null

  dynamic "amazon_managed_kafka_event_source_config" {
    for_each = var.msk != null ? [1] : []
    content {
      consumer_group_id = local.clicks_group
    }
  }

  dynamic "self_managed_event_source" {
    for_each = var.msk == null ? [1] : []
    content {
      endpoints = { KAFKA_BOOTSTRAP_SERVERS = var.platform.kafka_bootstrap_servers }
    }
  }

  dynamic "self_managed_kafka_event_source_config" {
    for_each = var.msk == null ? [1] : []
    content {
      consumer_group_id = local.clicks_group
    }
  }

  # A batch that keeps failing must not stop its partition for good. Lambda takes these settings of a Kafka
  # mapping in provisioned mode only. Splitting uses up no retry, so bisection isolates a record that can never
  # be counted in about log2(batch size) invocations; the record of it goes to clicks-failed and the partition
  # goes on. Counting is idempotent (per-partition offset marks), so retried and split batches count each click once.
  provisioned_poller_config {
    minimum_pollers = var.clicks_pollers.minimum
    maximum_pollers = var.clicks_pollers.maximum
  }

  maximum_retry_attempts         = var.clicks_retry_attempts
  maximum_record_age_in_seconds  = var.clicks_max_record_age_seconds
  bisect_batch_on_function_error = true

  destination_config {
    on_failure {
      destination_arn = local.clicks_failed_arn
    }
  }

  # var.msk: on the stack's MSK cluster, not before kafka-topics created the topic (msk.topics_ready, topics.tf).
  depends_on = [aws_sqs_queue.clicks_failed, var.msk]
}

# Records of click batches the mapping gave up on: topic, partition and offsets (never the clicks themselves),
# kept 14 days, the longest SQS keeps a message, to replay them from Kafka once the cause is fixed.
resource "aws_sqs_queue" "clicks_failed" {
  name                      = local.clicks_failed
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}


# Clicks a redirect could not publish (Kafka down or slow), each with its spool id; clicks-replay publishes them
# once the broker takes them again, and the clicks function counts each once. Retention 14 days, as the DLQ's.
resource "aws_sqs_queue" "clicks_spool_dlq" {
  name                      = local.clicks_spool_dlq
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "clicks_spool" {
  name                       = local.clicks_spool
  visibility_timeout_seconds = var.click_spool.visibility_timeout_seconds
  message_retention_seconds  = 1209600
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = local.clicks_spool_dlq_arn
    maxReceiveCount     = var.click_spool.max_receive_count
  })

  depends_on = [aws_sqs_queue.clicks_spool_dlq]
}

resource "aws_lambda_event_source_mapping" "clicks_replay" {
  event_source_arn        = local.clicks_spool_arn
  function_name           = module.function["clicks-replay"].alias_arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]

  # Two at most: replaying is never urgent, and it must not crowd out redirects in the account's concurrency.
  scaling_config {
    maximum_concurrency = 2
  }

  depends_on = [aws_sqs_queue.clicks_spool]
}

# A message waiting in either queue is a click not counted yet: one alarm each, on the queue's depth.
resource "aws_cloudwatch_metric_alarm" "queue_waiting" {
  for_each = {
    "clicks-failed" = {
      queue       = local.clicks_failed
      description = "Click batches the clicks mapping gave up on wait in ${local.clicks_failed}: those clicks are not counted until replayed from Kafka."
    }
    "clicks-spool-dlq" = {
      queue       = local.clicks_spool_dlq
      description = "Spooled clicks clicks-replay could not publish after ${var.click_spool.max_receive_count} tries wait in ${local.clicks_spool_dlq}: redrive them to ${local.clicks_spool} once the stream is back."
    }
  }

  alarm_name          = "${local.prefix}-shortener-${each.key}"
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
  from = aws_cloudwatch_metric_alarm.clicks_failed
  to   = aws_cloudwatch_metric_alarm.queue_waiting["clicks-failed"]
}

# --- alarms on degraded paths (counted by the functions as CloudWatch embedded metrics) -------------------------

resource "aws_cloudwatch_metric_alarm" "degraded" {
  for_each = {
    "redis-unavailable"    = { metric = "shortener.redis_unavailable", function = "redirect", threshold = 1 }
    "clicks-lost"          = { metric = "shortener.clicks_failed", function = "redirect", threshold = 1 }
    "clicks-spooled"       = { metric = "shortener.clicks_spooled", function = "redirect", threshold = 1 }
    "invalidation-failed"  = { metric = "shortener.redis_invalidation_failed", function = "links-api", threshold = 1 }
    "dynamodb-unavailable" = { metric = "shortener.dynamodb_unavailable", function = "redirect", threshold = 1 }
    "clicks-malformed"     = { metric = "shortener.clicks_malformed", function = "clicks", threshold = 1 }
  }

  alarm_name          = "${local.prefix}-shortener-${each.key}"
  alarm_description   = "${each.value.metric} counted by ${local.prefix}-${each.value.function}."
  namespace           = local.prefix
  metric_name         = each.value.metric
  dimensions          = { function = each.value.function }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.platform.alarm_actions
}
