# Fixture: Kafka error handling AWS refuses (settings of provisioned mode without it), a destination the local
# cloud does not emulate (an SNS topic), and an on-failure destination on an SQS mapping.

resource "aws_sqs_queue" "failed" {
  name = "failed"
}

resource "aws_sqs_queue" "work" {
  name = "work"
}

resource "aws_lambda_function" "consumer" {
  function_name = "consumer"
  role          = "arn:aws:iam::000000000000:role/fixture"
  filename      = "function.zip"
  runtime       = "java21"
  handler       = "example.Handler::handleRequest"
}

resource "aws_lambda_event_source_mapping" "unprovisioned" {
  function_name                  = aws_lambda_function.consumer.function_name
  topics                         = ["clicks"]
  starting_position              = "TRIM_HORIZON"
  maximum_retry_attempts         = 3
  bisect_batch_on_function_error = true

  self_managed_event_source {
    endpoints = { KAFKA_BOOTSTRAP_SERVERS = "local-cloud://kafka" }
  }

  self_managed_kafka_event_source_config {
    consumer_group_id = "group-0"
  }

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.failed.arn
    }
  }
}

resource "aws_lambda_event_source_mapping" "to_topic" {
  function_name     = aws_lambda_function.consumer.function_name
  topics            = ["orders"]
  starting_position = "TRIM_HORIZON"

  self_managed_event_source {
    endpoints = { KAFKA_BOOTSTRAP_SERVERS = "local-cloud://kafka" }
  }

  self_managed_kafka_event_source_config {
    consumer_group_id = "group-1"
  }

  provisioned_poller_config {
    minimum_pollers = 1
  }

  destination_config {
    on_failure {
      destination_arn = "arn:aws:sns:us-east-1:000000000000:orders-failed"
    }
  }
}

resource "aws_lambda_event_source_mapping" "queue" {
  function_name    = aws_lambda_function.consumer.function_name
  event_source_arn = aws_sqs_queue.work.arn

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.failed.arn
    }
  }
}

output "kafka_topics" {
  value = ["clicks", "orders"]
}
