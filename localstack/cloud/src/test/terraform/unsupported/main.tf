# Fixture: what the local cloud does not emulate (refused unless --lenient) and what it ignores on purpose.

resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_cloudwatch_log_group" "worker" {
  name = "/aws/lambda/worker"
}

resource "aws_cloudwatch_metric_alarm" "worker" {
  count               = 2
  alarm_name          = "worker-${count.index}"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::000000000000:role/fixture"
  filename      = "function.zip"
  runtime       = "java21"
  handler       = "example.Handler::handleRequest"
  layers        = ["arn:aws:lambda:us-east-1:000000000000:layer:tools:1"]

  ephemeral_storage {
    size = 1024
  }

  # Ignored: locally every function reaches the emulators on loopback.
  vpc_config {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0"]
  }

  file_system_config {
    arn              = "arn:aws:elasticfilesystem:us-east-1:000000000000:access-point/fsap-0123456789abcdef0"
    local_mount_path = "/mnt/shared"
  }
}

resource "aws_lambda_function_url" "worker" {
  function_name      = aws_lambda_function.worker.function_name
  authorization_type = "NONE"
}

resource "aws_sqs_queue" "jobs" {
  name                       = "jobs"
  visibility_timeout_seconds = 60
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = "arn:aws:sqs:us-east-1:000000000000:jobs"
  function_name    = "worker"
  batch_size       = 10

  filter_criteria {
    filter {
      pattern = jsonencode({ body = { kind = ["urgent"] } })
    }
  }

  scaling_config {
    maximum_concurrency = 2
  }
}

resource "aws_apigatewayv2_api" "http" {
  name          = "fixture"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins = ["https://app.invalid"]
  }
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "prod"
  auto_deploy = true
}
