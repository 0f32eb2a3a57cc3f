# Fixture: the error handling of a Kafka mapping in provisioned mode ("clicks": retries, record age, bisection,
# partial batch responses and an SQS on-failure destination known only after apply), beside a mapping that keeps
# Lambda's defaults ("events").

resource "aws_sqs_queue" "clicks_failed" {
  name = "clicks-failed"
}

resource "aws_lambda_function" "clicks" {
  function_name = "clicks"
  role          = "arn:aws:iam::000000000000:role/fixture"
  filename      = "function.zip"
  runtime       = "java21"
  handler       = "example.Handler::handleRequest"
}

resource "aws_lambda_event_source_mapping" "clicks" {
  function_name                  = aws_lambda_function.clicks.function_name
  topics                         = ["clicks"]
  starting_position              = "TRIM_HORIZON"
  maximum_retry_attempts         = 3
  maximum_record_age_in_seconds  = 3600
  bisect_batch_on_function_error = true
  function_response_types        = ["ReportBatchItemFailures"]

  self_managed_event_source {
    endpoints = { KAFKA_BOOTSTRAP_SERVERS = "local-cloud://kafka" }
  }

  self_managed_kafka_event_source_config {
    consumer_group_id = "group-0"
  }

  provisioned_poller_config {
    minimum_pollers = 1
  }

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.clicks_failed.arn
    }
  }
}

resource "aws_lambda_event_source_mapping" "events" {
  function_name     = aws_lambda_function.clicks.function_name
  topics            = ["events"]
  starting_position = "TRIM_HORIZON"

  self_managed_event_source {
    endpoints = { KAFKA_BOOTSTRAP_SERVERS = "local-cloud://kafka" }
  }

  self_managed_kafka_event_source_config {
    consumer_group_id = "group-1"
  }
}

output "kafka_topics" {
  value = ["clicks", "events"]
}
