# Fixture: asynchronous invocation destinations the local cloud does not emulate (SNS, EventBridge), which must
# stop its start instead of swallowing events.

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::000000000000:role/fixture"
  filename      = "function.zip"
  runtime       = "java21"
  handler       = "example.Handler::handleRequest"

  dead_letter_config {
    target_arn = aws_sns_topic.alerts.arn
  }
}

resource "aws_lambda_function_event_invoke_config" "worker" {
  function_name = aws_lambda_function.worker.function_name

  destination_config {
    on_failure {
      destination = aws_sns_topic.alerts.arn
    }
    on_success {
      destination = "arn:aws:events:us-east-1:000000000000:event-bus/default"
    }
  }
}
