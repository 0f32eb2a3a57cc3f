# What an operator watches: one CloudWatch dashboard per deployment (target aws) and the alarms on the capabilities'
# own metrics. The functions publish those as CloudWatch Embedded Metric Format lines on stdout (the kit's
# dev.blocks.kit.metrics.Metrics): namespace = prefix, one dimension, function = the role. Lambda's Errors and
# Throttles alarms are per function (modules/function), dead-letter queue alarms per capability module.

variable "scheduler_lateness_alarm_ms" {
  description = "Alarm when the p99 of scheduler.lateness (from a run's due time to its firing, measured by jobs-worker) stays above this many milliseconds for 3 of 5 minutes."
  type        = number
  default     = 2000
}

variable "webhook_failure_alarm_percent" {
  description = "Alarm when more than this share of outbound webhook attempts fails over 15 minutes (with at least 20 attempts): receivers down, or a signing or network problem on this side."
  type        = number
  default     = 50

  validation {
    condition     = var.webhook_failure_alarm_percent > 0 && var.webhook_failure_alarm_percent <= 100
    error_message = "webhook_failure_alarm_percent must be above 0 and at most 100."
  }
}

locals {
  audited = [module.identity.audit, module.uploads.audit, module.shortener.audit, module.scheduler.audit, module.webhooks.audit, module.ratelimit.audit]
  capability_functions = {
    shortener = module.shortener.function_names
    uploads   = module.uploads.function_names
    scheduler = module.scheduler.function_names
    webhooks  = module.webhooks.function_names
    ratelimit = module.ratelimit.function_names
    # The operators' tools: the api-keys admin command and, with the stack's MSK, kafka-topics.
    operations = merge({ "api-keys" = module.identity.admin_function_name }, { for f in module.kafka_topics : "kafka-topics" => f.function_name })
  }
  # The queues that receive dead letters, as the modules' audits read them from redrive policies and mappings.
  dead_letter_queues = distinct(concat(compact(concat([for m in local.audited : values(m.queues)]...)), concat([for m in local.audited : m.dead_letter_destinations]...)))
  # The capabilities' own metrics on the dashboard: [capability, role that emits, metric names].
  capability_metrics = [
    ["shortener", "redirect", ["shortener.redirect_hits_memory", "shortener.redirect_hits_redis", "shortener.redirect_hits_dynamodb", "shortener.redirect_not_found", "shortener.clicks_spooled", "shortener.clicks_failed"]],
    ["ratelimit", "ratelimit-api", ["ratelimit.allowed", "ratelimit.refused", "ratelimit.fail_open"]],
    ["scheduler", "jobs-worker", ["scheduler.runs_fired", "scheduler.runs_succeeded", "scheduler.attempts_failed", "scheduler.runs_dead_lettered", "scheduler.runs_missed"]],
    ["webhooks", "webhooks-deliverer", ["webhooks.attempts", "webhooks.attempts_failed", "webhooks.attempts_deferred", "webhooks.delivered", "webhooks.dead_lettered"]],
    # Whichever role settles an upload counts it: the events function mostly, the API or the reconciler at times.
    ["uploads", "uploads-events", ["uploads.completed", "uploads.rejected"]],
    ["uploads", "uploads-api", ["uploads.completed", "uploads.rejected"]],
    ["uploads", "uploads-reconciler", ["uploads.completed", "uploads.rejected"]],
  ]

  lambda_widgets = [for capability, functions in local.capability_functions : {
    type = "metric", width = 12, height = 6
    properties = {
      title  = "${capability}: invocations, errors, throttles"
      region = var.region
      stat   = "Sum"
      period = 60
      # One list per metric (flatten would merge them into one): concat of each function's three.
      metrics = concat([for role, name in functions : [
        ["AWS/Lambda", "Invocations", "FunctionName", name],
        ["AWS/Lambda", "Errors", "FunctionName", name],
        ["AWS/Lambda", "Throttles", "FunctionName", name],
      ]]...)
    }
  }]
  capability_widgets = [for entry in local.capability_metrics : {
    type = "metric", width = 12, height = 6
    properties = {
      title   = "${entry[0]}: ${entry[1]}"
      region  = var.region
      stat    = "Sum"
      period  = 60
      metrics = [for metric in entry[2] : [var.prefix, metric, "function", entry[1]]]
    }
  }]
  dashboard_widgets = concat(
    [{
      type = "metric", width = 12, height = 6
      properties = {
        title   = "scheduler: lateness p50 / p99 (ms)"
        region  = var.region
        period  = 60
        metrics = [[var.prefix, "scheduler.lateness", "function", "jobs-worker", { stat = "p50" }], [var.prefix, "scheduler.lateness", "function", "jobs-worker", { stat = "p99" }]]
      }
    }],
    [{
      type = "metric", width = 12, height = 6
      properties = {
        title   = "dead-letter queues: messages waiting"
        region  = var.region
        stat    = "Maximum"
        period  = 60
        metrics = [for queue in local.dead_letter_queues : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue]]
      }
    }],
    local.capability_widgets,
    local.lambda_widgets,
  )
}

resource "aws_cloudwatch_dashboard" "deployment" {
  count = local.aws ? 1 : 0

  dashboard_name = var.prefix
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}

resource "aws_cloudwatch_metric_alarm" "scheduler_lateness" {
  alarm_name          = "${var.prefix}-scheduler-lateness-p99"
  alarm_description   = "p99 of scheduler runs fired later than ${var.scheduler_lateness_alarm_ms} ms after their due time."
  namespace           = var.prefix
  metric_name         = "scheduler.lateness"
  dimensions          = { function = "jobs-worker" }
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.scheduler_lateness_alarm_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "webhook_failures" {
  alarm_name          = "${var.prefix}-webhooks-failure-rate"
  alarm_description   = "More than ${var.webhook_failure_alarm_percent}% of outbound webhook attempts failed in 15 minutes (at least 20 attempts)."
  evaluation_periods  = 1
  threshold           = var.webhook_failure_alarm_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions

  metric_query {
    id          = "rate"
    expression  = "IF(attempts >= 20, 100 * failed / attempts, 0)"
    label       = "failed attempts (%)"
    return_data = true
  }
  metric_query {
    id = "attempts"
    metric {
      namespace   = var.prefix
      metric_name = "webhooks.attempts"
      dimensions  = { function = "webhooks-deliverer" }
      stat        = "Sum"
      period      = 900
    }
  }
  metric_query {
    id = "failed"
    metric {
      namespace   = var.prefix
      metric_name = "webhooks.attempts_failed"
      dimensions  = { function = "webhooks-deliverer" }
      stat        = "Sum"
      period      = 900
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "limiter_fail_open" {
  alarm_name          = "${var.prefix}-ratelimit-fail-open"
  alarm_description   = "The rate limiter answered without Redis (fail open) in 3 of the last 5 minutes: limits are not enforced."
  namespace           = var.prefix
  metric_name         = "ratelimit.fail_open"
  dimensions          = { function = "ratelimit-api" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
}
