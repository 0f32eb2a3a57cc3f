# Fixture: asynchronous invocation settings, and Scheduler schedules (which invoke asynchronously). "worker"
# retries once, keeps events two minutes, sends failure records to a queue and success records to another
# function; "reporter" has only a dead-letter queue; "plain" has Lambda's defaults. Every ARN is known only after
# apply, so the reader follows configuration references.

resource "aws_sqs_queue" "failures" {
  name = "worker-failures"
}

resource "aws_sqs_queue" "dead_letters" {
  name = "reporter-dead-letters"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::000000000000:role/fixture"
  filename      = "function.zip"
  runtime       = "java21"
  handler       = "example.Handler::handleRequest"
}

resource "aws_lambda_function" "reporter" {
  function_name = "reporter"
  role          = "arn:aws:iam::000000000000:role/fixture"
  filename      = "function.zip"
  runtime       = "java21"
  handler       = "example.Handler::handleRequest"

  dead_letter_config {
    target_arn = aws_sqs_queue.dead_letters.arn
  }
}

resource "aws_lambda_function" "plain" {
  function_name = "plain"
  role          = "arn:aws:iam::000000000000:role/fixture"
  filename      = "function.zip"
  runtime       = "java21"
  handler       = "example.Handler::handleRequest"
}

resource "aws_lambda_function_event_invoke_config" "worker" {
  function_name                = aws_lambda_function.worker.function_name
  maximum_retry_attempts       = 1
  maximum_event_age_in_seconds = 120

  destination_config {
    on_failure {
      destination = aws_sqs_queue.failures.arn
    }
    on_success {
      destination = aws_lambda_function.reporter.arn
    }
  }
}

# EventBridge Scheduler invokes its target asynchronously: "worker" above gets its retries and destinations.
resource "aws_scheduler_schedule" "worker_hourly" {
  name                = "worker-hourly"
  schedule_expression = "rate(1 hour)"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.worker.arn
    role_arn = "arn:aws:iam::000000000000:role/fixture"
    # Not jsonencode(): it escapes < and > (\u003c), which the local cloud does not read as a placeholder.
    input = "{\"job\":\"sweep\",\"at\":\"<aws.scheduler.scheduled-time>\"}"
  }
}

resource "aws_scheduler_schedule_group" "reports" {
  name = "reports"
}

resource "aws_scheduler_schedule" "year_end" {
  name                = "year-end"
  group_name          = aws_scheduler_schedule_group.reports.name
  schedule_expression = "at(2030-12-31T23:00:00)"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.reporter.arn
    role_arn = "arn:aws:iam::000000000000:role/fixture"
  }
}
