locals {
  jvm             = startswith(var.platform.runtime, "java")
  artifact_object = lookup(var.platform.artifact_objects, var.artifact, null)
  alias_name      = "live"

  # Built from the name so that they are known at plan time (the local cloud reads the plan, where the
  # provider's computed arn/invoke_arn are still unknown).
  arn        = "arn:${var.platform.partition}:lambda:${var.platform.region}:${var.platform.account_id}:function:${var.name}"
  alias_arn  = "${local.arn}:${local.alias_name}"
  invoke_arn = "arn:${var.platform.partition}:apigateway:${var.platform.region}:lambda:path/2015-03-31/functions/${local.alias_arn}/invocations"

  log_group_name = "/aws/lambda/${var.name}"
  log_group_arn  = "arn:${var.platform.partition}:logs:${var.platform.region}:${var.platform.account_id}:log-group:${local.log_group_name}"

  statements = concat(
    [{
      actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = ["${local.log_group_arn}:*"]
    }],
    var.platform.tracing ? [{
      # X-Ray has no resource-level permissions.
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }] : [],
    var.vpc != null ? [{
      # Lambda manages the function's network interfaces; EC2 has no resource-level permissions for these.
      actions   = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
      resources = ["*"]
    }] : [],
    var.vpc != null ? var.vpc.grants : [],
    var.policy_statements,
  )
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.platform.log_retention_days
}

resource "aws_iam_role" "this" {
  name = substr("${var.name}-${var.platform.region}", 0, 64)
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "this" {
  name = "function"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for s in local.statements : {
      Effect   = "Allow"
      Action   = s.actions
      Resource = s.resources
    }]
  })
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = aws_iam_role.this.arn
  runtime       = var.platform.runtime
  handler       = local.jvm ? "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest" : "bootstrap"
  # From S3 where the stack uploaded the artifact (target aws), else the file itself (local cloud, LocalStack).
  filename         = local.artifact_object == null ? var.artifact : null
  s3_bucket        = local.artifact_object == null ? null : local.artifact_object.bucket
  s3_key           = local.artifact_object == null ? null : local.artifact_object.key
  source_code_hash = try(filebase64sha256(var.artifact), null)
  architectures    = [var.platform.architecture]
  memory_size      = var.memory_mb
  timeout          = var.timeout_seconds
  # Versions are what SnapStart snapshots and what the live alias points at; triggers invoke the alias.
  publish                        = true
  reserved_concurrent_executions = var.reserved_concurrency != null ? var.reserved_concurrency : -1

  environment {
    variables = merge(var.environment, { BLOCKS_FUNCTION = coalesce(var.blocks_function, var.name) })
  }

  dynamic "snap_start" {
    for_each = local.jvm && var.platform.snap_start ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  tracing_config {
    mode = var.platform.tracing ? "Active" : "PassThrough"
  }

  # The functions write JSON lines (the kit's logging setup), which Lambda passes through as they are; with JSON,
  # Lambda's own START/END/REPORT records are JSON too, so one query language covers both.
  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  dynamic "vpc_config" {
    for_each = var.vpc != null ? [var.vpc] : []
    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
}

resource "aws_lambda_alias" "live" {
  name             = local.alias_name
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}

resource "aws_lambda_permission" "invoke" {
  for_each = var.invoke_permissions

  statement_id  = each.key
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  qualifier     = aws_lambda_alias.live.name
  principal     = each.value.principal
  source_arn    = each.value.source_arn
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${var.name}-errors"
  alarm_description   = "${var.name} returned errors."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = var.name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.platform.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  alarm_name          = "${var.name}-throttles"
  alarm_description   = "${var.name} was throttled."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = var.name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.platform.alarm_actions
}
