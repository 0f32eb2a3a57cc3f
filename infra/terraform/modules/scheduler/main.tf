# The job scheduler: jobs-api (HTTP), jobs-dispatcher (EventBridge schedule) and jobs-worker (SQS), three Lambda
# functions from one artifact, a jobs table with a time-bucketed, sharded due index, and a delayed run queue with
# its DLQ, and a KMS key for the headers of HTTP targets. Queue, topic and function targets are allow-listed by
# name (allowed_*_targets); nothing of this stack may be listed. Follows the plan-known convention of infra/terraform/README.md: names and ARNs are built from names and
# functions receive names, never URLs or computed ARNs.

locals {
  prefix       = var.platform.prefix
  table        = "${local.prefix}-jobs"
  queue        = "${local.prefix}-jobs-runs"
  dead_letters = "${local.prefix}-jobs-runs-dlq"
  dispatcher   = "${local.prefix}-jobs-dispatcher"
  table_arn    = "arn:${var.platform.partition}:dynamodb:${var.platform.region}:${var.platform.account_id}:table/${local.table}"
  keys_arn     = "arn:${var.platform.partition}:dynamodb:${var.platform.region}:${var.platform.account_id}:table/${var.api_keys_table}"
  sqs_arn      = "arn:${var.platform.partition}:sqs:${var.platform.region}:${var.platform.account_id}"
  queue_arn    = "${local.sqs_arn}:${local.queue}"
  dlq_arn      = "${local.sqs_arn}:${local.dead_letters}"
  lambda_arn   = "arn:${var.platform.partition}:lambda:${var.platform.region}:${var.platform.account_id}:function"
  local        = var.platform.target == "local"
  key_alias    = "alias/${local.prefix}-jobs-secrets"

  # Targets are listed by name (what the worker calls); IAM gets the ARNs built from them, in this account and
  # region, exactly: no wildcard. An empty list grants nothing.
  target_function_arns = [for name in var.allowed_function_targets : "${local.lambda_arn}:${name}"]
  target_queue_arns    = [for name in var.allowed_queue_targets : "${local.sqs_arn}:${name}"]

  # Shard groups of the dispatcher's fan-out, as "first-last" ranges of equal size.
  group_size   = floor(var.shards / var.dispatcher_shard_groups)
  shard_groups = toset([for g in range(var.dispatcher_shard_groups) : "${g * local.group_size}-${(g + 1) * local.group_size - 1}"])

  # EventBridge rates are whole minutes; a seconds rate exists only in the local cloud, for short test cadences.
  cadence_minutes     = floor(var.dispatcher_cadence_seconds / 60)
  dispatcher_schedule = var.dispatcher_cadence_seconds % 60 == 0 ? (local.cadence_minutes == 1 ? "rate(1 minute)" : "rate(${local.cadence_minutes} minutes)") : "rate(${var.dispatcher_cadence_seconds} seconds)"

  environment = {
    BLOCKS_PREFIX                                    = local.prefix
    BLOCKS_IDENTITY_API_KEYS_TABLE                   = var.api_keys_table
    BLOCKS_SCHEDULER_TABLE                           = local.table
    BLOCKS_SCHEDULER_QUEUE                           = local.queue
    BLOCKS_SCHEDULER_DEAD_LETTER_QUEUE               = local.dead_letters
    BLOCKS_SCHEDULER_BUCKET                          = "${var.bucket_seconds}s"
    BLOCKS_SCHEDULER_SHARDS                          = tostring(var.shards)
    BLOCKS_SCHEDULER_OWNER_SHARDS                    = tostring(var.owner_shards)
    BLOCKS_SCHEDULER_CATCH_UP                        = var.catch_up
    BLOCKS_SCHEDULER_EARLY                           = "${var.early_seconds}s"
    BLOCKS_SCHEDULER_TARGETS_CONCURRENCY             = tostring(var.worker_threads)
    BLOCKS_SCHEDULER_RUN_LEASE                       = "${var.run_lease_seconds}s"
    BLOCKS_SCHEDULER_MAX_ATTEMPTS                    = tostring(var.max_attempts)
    BLOCKS_SCHEDULER_MAX_ATTEMPTS_LIMIT              = tostring(var.max_receive_count - 2)
    BLOCKS_SCHEDULER_RETRY_BASE                      = var.retry_base
    BLOCKS_SCHEDULER_DISPATCHER_LEAD                 = "${var.dispatcher_lead_seconds}s"
    BLOCKS_SCHEDULER_DISPATCHER_CADENCE              = "${var.dispatcher_cadence_seconds}s"
    BLOCKS_SCHEDULER_DISPATCHER_MARGIN               = "${var.dispatcher_margin_seconds}s"
    BLOCKS_SCHEDULER_DISPATCHER_LOOKBACK             = "${var.dispatcher_lookback_seconds}s"
    BLOCKS_SCHEDULER_DISPATCHER_LEASE_GRACE          = "${var.lease_grace_seconds}s"
    BLOCKS_SCHEDULER_TARGETS_TIMEOUT                 = var.target_timeout
    BLOCKS_SCHEDULER_TARGETS_ALLOWED_PRIVATE_HOSTS   = join(",", var.allowed_private_hosts)
    BLOCKS_SCHEDULER_TARGETS_KAFKA_BOOTSTRAP_SERVERS = var.platform.kafka_bootstrap_servers != null ? var.platform.kafka_bootstrap_servers : ""
    BLOCKS_SCHEDULER_TARGETS_ALLOWED_FUNCTIONS       = join(",", var.allowed_function_targets)
    BLOCKS_SCHEDULER_TARGETS_ALLOWED_QUEUES          = join(",", var.allowed_queue_targets)
    BLOCKS_SCHEDULER_TARGETS_ALLOWED_TOPICS          = join(",", var.allowed_topic_targets)
    BLOCKS_SCHEDULER_SECRETS_CIPHER                  = local.local ? "aes-gcm" : "kms"
    BLOCKS_SCHEDULER_SECRETS_KMS_KEY_ID              = local.key_alias
    BLOCKS_SCHEDULER_SECRETS_LOCAL_KEY               = local.local ? var.local_secrets_key : ""
  }

  # Least privilege, action by action, on the resources each role's code touches.
  functions = {
    "jobs-api" = {
      timeout     = 29
      concurrency = null
      statements = [
        # BatchGetItem reads a listing's page of jobs after the byOwner index gave their keys.
        { actions = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:Query"], resources = [local.table_arn, "${local.table_arn}/index/byOwner"] },
        { actions = ["dynamodb:GetItem"], resources = [local.keys_arn] },
        { actions = ["sqs:SendMessage", "sqs:GetQueueUrl"], resources = [local.queue_arn] },
        # Seals the headers of HTTP targets; reading a job never decrypts them (they are shown redacted).
        { actions = ["kms:Encrypt"], resources = [module.secrets_key.arn] },
      ]
      permissions = { api = { principal = "apigateway.amazonaws.com", source_arn = "${var.platform.api_execution_arn}/*/*" } }
    }
    "jobs-dispatcher" = {
      timeout     = 60
      concurrency = var.dispatcher_reserved_concurrency
      statements = [
        # PutItem and UpdateItem also cover the MISSED transaction (a run record and its job).
        { actions = ["dynamodb:Query"], resources = ["${local.table_arn}/index/due"] },
        { actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources = [local.table_arn] },
        { actions = ["sqs:SendMessage", "sqs:GetQueueUrl"], resources = [local.queue_arn] },
      ]
      permissions = { schedule = { principal = "events.amazonaws.com", source_arn = "arn:${var.platform.partition}:events:${var.platform.region}:${var.platform.account_id}:rule/${local.dispatcher}" } }
    }
    "jobs-worker" = {
      timeout     = var.run_lease_seconds
      concurrency = null
      statements = concat([
        # DeleteItem takes back a run's claim when the job was paused or cancelled before the run's time.
        { actions = ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"], resources = [local.table_arn] },
        { actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility", "sqs:SendMessage", "sqs:GetQueueUrl"], resources = [local.queue_arn] },
        { actions = ["sqs:SendMessage", "sqs:GetQueueUrl"], resources = [local.dlq_arn] },
        # Opens the sealed headers of HTTP targets just before the call.
        { actions = ["kms:Decrypt"], resources = [module.secrets_key.arn] },
        ],
        # Exactly the allowed targets; no statement at all when a list is empty.
        length(local.target_queue_arns) > 0 ? [{ actions = ["sqs:SendMessage", "sqs:GetQueueUrl"], resources = local.target_queue_arns }] : [],
        # GetFunction reads a listed function's timeout, which sizes how long the worker waits for it.
        length(local.target_function_arns) > 0 ? [{ actions = ["lambda:InvokeFunction", "lambda:GetFunction"], resources = local.target_function_arns }] : [],
      )
      permissions = {}
    }
  }

  routes = [
    "POST /v1/jobs",
    "GET /v1/jobs",
    "GET /v1/jobs/{id}",
    "DELETE /v1/jobs/{id}",
    "POST /v1/jobs/{id}/pause",
    "POST /v1/jobs/{id}/resume",
    "POST /v1/jobs/{id}/trigger",
  ]
}

module "function" {
  source   = "../function"
  for_each = local.functions

  platform        = var.platform
  name            = "${local.prefix}-${each.key}"
  blocks_function = each.key
  artifact        = var.artifact
  memory_mb       = 1024
  timeout_seconds = each.value.timeout
  environment     = local.environment
  # A tick slower than the cadence should not start a second one beside it.
  reserved_concurrency = each.value.concurrency
  policy_statements    = each.value.statements
  invoke_permissions   = each.value.permissions
}

# --- secrets: a customer-managed key for the headers of HTTP targets (bearer tokens), rotated yearly ------------

module "secrets_key" {
  source = "../secrets_key"

  platform             = var.platform
  alias                = local.key_alias
  description          = "${local.prefix} scheduler: encrypts the headers of jobs' HTTP targets"
  deletion_window_days = var.kms_deletion_window_days
}

# --- jobs table: job items (sk = job) and run items (sk = R#<time>), two sparse indexes on job items ------------

resource "aws_dynamodb_table" "jobs" {
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
  attribute {
    name = "dueKey"
    type = "S"
  }
  attribute {
    name = "nextRunAt"
    type = "N"
  }
  attribute {
    name = "ownerShard"
    type = "S"
  }
  attribute {
    name = "createdKey"
    type = "S"
  }

  # Runs waiting for dispatch, partitioned by time bucket and shard ("<bucket>#<shard>").
  global_secondary_index {
    name               = "due"
    hash_key           = "dueKey"
    range_key          = "nextRunAt"
    projection_type    = "INCLUDE"
    non_key_attributes = ["jobId", "dispatchLease"]
  }

  # An owner's jobs, newest first, write-sharded ("<owner>#<shard>", owner_shards per owner) so that one tenant
  # is never one hot partition. Keys and status only: runs' updates of a job item do not touch the index, and a
  # listing reads the page's jobs from the table.
  global_secondary_index {
    name               = "byOwner"
    hash_key           = "ownerShard"
    range_key          = "createdKey"
    projection_type    = "INCLUDE"
    non_key_attributes = ["status"]
  }

  # Finished runs expire (the functions never rely on TTL having run).
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

# --- run queue: delayed delivery, the visibility timeout is an attempt's lease ----------------------------------

resource "aws_sqs_queue" "dead_letters" {
  name                      = local.dead_letters
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "runs" {
  name                       = local.queue
  visibility_timeout_seconds = var.run_lease_seconds
  message_retention_seconds  = 345600
  receive_wait_time_seconds  = 20
  redrive_policy = jsonencode({
    deadLetterTargetArn = "${local.sqs_arn}:${aws_sqs_queue.dead_letters.name}"
    maxReceiveCount     = var.max_receive_count
  })
}

resource "aws_lambda_event_source_mapping" "runs" {
  event_source_arn                   = "${local.sqs_arn}:${aws_sqs_queue.runs.name}"
  function_name                      = module.function["jobs-worker"].alias_arn
  batch_size                         = var.worker_batch_size
  maximum_batching_window_in_seconds = var.worker_batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.worker_concurrency
  }
}

# --- dispatcher schedule ----------------------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "dispatcher" {
  name                = local.dispatcher
  schedule_expression = local.dispatcher_schedule

  lifecycle {
    precondition {
      condition     = var.early_seconds < var.run_lease_seconds && var.early_seconds <= var.dispatcher_lead_seconds
      error_message = "early_seconds must be below run_lease_seconds and at most dispatcher_lead_seconds."
    }
    precondition {
      condition     = var.dispatcher_lead_seconds + var.dispatcher_cadence_seconds + var.dispatcher_margin_seconds <= 900
      error_message = "dispatcher lead + cadence + margin must stay within 900 seconds (SQS's longest delay)."
    }
    precondition {
      condition     = var.shards % var.dispatcher_shard_groups == 0
      error_message = "shards must be a multiple of dispatcher_shard_groups (groups of equal size)."
    }
    precondition {
      condition     = var.dispatcher_reserved_concurrency == null ? true : var.dispatcher_reserved_concurrency >= var.dispatcher_shard_groups
      error_message = "dispatcher_reserved_concurrency must allow one invocation per shard group."
    }
    precondition {
      condition     = var.dispatcher_cadence_seconds % 60 == 0 || var.platform.target == "local"
      error_message = "EventBridge schedules whole minutes: dispatcher_cadence_seconds must be a multiple of 60 outside the local cloud."
    }
  }
}

# One target per shard group: each tick fans out into that many dispatcher invocations, each reading its own
# shards ({"shards": "0-7"}); a single group reads every shard and needs no input.
resource "aws_cloudwatch_event_target" "dispatcher" {
  for_each = local.shard_groups

  rule  = aws_cloudwatch_event_rule.dispatcher.name
  arn   = module.function["jobs-dispatcher"].alias_arn
  input = var.dispatcher_shard_groups > 1 ? jsonencode({ shards = each.key }) : null
}

# --- HTTP API routes --------------------------------------------------------------------------------------------

# One integration per route, indexed by the route's own key (infra/terraform/README.md: the local cloud follows a
# route's target through the plan's references, which name a resource instance, not a shared one).
resource "aws_apigatewayv2_integration" "route" {
  for_each = toset(local.routes)

  api_id                 = var.platform.api_id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function["jobs-api"].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "route" {
  for_each = toset(local.routes)

  api_id    = var.platform.api_id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.route[each.key].id}"
}

# --- alarms: runs parked in the DLQ, and a backlog of runs that are due but not taken ---------------------------

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${local.prefix}-jobs-dead-letters"
  alarm_description   = "Runs of ${local.prefix} jobs failed every attempt and wait in ${local.dead_letters}."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = local.dead_letters }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.platform.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "backlog" {
  alarm_name          = "${local.prefix}-jobs-late"
  alarm_description   = "Due runs wait in ${local.queue} for more than a minute: workers do not keep up."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = local.queue }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 960
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.platform.alarm_actions
}
