# Fixture: wiring mistakes the local cloud must report, each naming the resource and attribute.

locals {
  sqs    = "arn:aws:sqs:us-east-1:000000000000"
  lambda = "arn:aws:lambda:us-east-1:000000000000:function"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::000000000000:role/fixture"
  filename      = "function.zip"
  runtime       = "java21"
  handler       = "example.Handler::handleRequest"

  environment {
    # A queue URL exists only after apply: the whole map becomes unknown in the plan.
    variables = {
      QUEUE_URL = aws_sqs_queue.jobs.url
    }
  }
}

resource "aws_sqs_queue" "dlq" {
  name = "jobs-dlq"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 3
  })
}

resource "aws_lambda_event_source_mapping" "undefined_queue" {
  event_source_arn = "${local.sqs}:jbos"
  function_name    = aws_lambda_function.worker.function_name
}

resource "aws_apigatewayv2_integration" "nowhere" {
  api_id           = "fixture"
  integration_type = "AWS_PROXY"
  integration_uri  = "${local.lambda}:wroker"
}

resource "aws_apigatewayv2_route" "to_missing_function" {
  api_id    = "fixture"
  route_key = "GET /jobs"
  target    = "integrations/${aws_apigatewayv2_integration.nowhere.id}"
}

resource "aws_apigatewayv2_route" "without_integration" {
  api_id    = "fixture"
  route_key = "POST /jobs"
  target    = "integrations/abc123"
}

resource "aws_s3_bucket" "uploads" {
  bucket = "uploads"
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.bucket

  queue {
    queue_arn = "${local.sqs}:upload-events"
    events    = ["s3:ObjectCreated:*"]
  }
}
