# Fixture: what AWS refuses at create time, one of each, next to the same thing done right.

locals {
  sqs = "arn:aws:sqs:us-east-1:000000000000"
  functions = {
    slow = 60
    fast = 3
  }
  # Queue name => visibility timeout.
  queues = {
    "short-visibility" = 30
    "long-visibility"  = 360
    "bulk"             = 30
    "windowed"         = 30
    "no-policy"        = 30
    "other-bucket"     = 30
    "allowed"          = 30
  }
}

resource "aws_lambda_function" "fn" {
  for_each      = local.functions
  function_name = each.key
  role          = "arn:aws:iam::000000000000:role/fixture"
  filename      = "function.zip"
  runtime       = "java21"
  handler       = "example.Handler::handleRequest"
  timeout       = each.value
}

resource "aws_sqs_queue" "queue" {
  for_each                   = local.queues
  name                       = each.key
  visibility_timeout_seconds = each.value
}

resource "aws_sqs_queue" "orders" {
  name       = "orders.fifo"
  fifo_queue = true
}

# --- Event source mappings ---------------------------------------------------------------------------------------

# Refused: the queue's visibility timeout (30 s) is below the function's timeout (60 s).
resource "aws_lambda_event_source_mapping" "short_visibility" {
  event_source_arn = "${local.sqs}:short-visibility"
  function_name    = "slow"
}

resource "aws_lambda_event_source_mapping" "long_visibility" {
  event_source_arn = "${local.sqs}:long-visibility"
  function_name    = "slow"
}

# Refused: more than 10 messages without a batching window.
resource "aws_lambda_event_source_mapping" "bulk" {
  event_source_arn = "${local.sqs}:bulk"
  function_name    = "fast"
  batch_size       = 50
}

resource "aws_lambda_event_source_mapping" "windowed" {
  event_source_arn                   = "${local.sqs}:windowed"
  function_name                      = "fast"
  batch_size                         = 50
  maximum_batching_window_in_seconds = 1
}

# Refused: a FIFO queue gives Lambda at most 10 messages a batch.
resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn = aws_sqs_queue.orders.arn
  function_name    = "fast"
  batch_size       = 20
}

# Refused: nothing declares the topic, so nothing creates it.
resource "aws_lambda_event_source_mapping" "undeclared_topic" {
  function_name     = "fast"
  topics            = ["undeclared"]
  starting_position = "TRIM_HORIZON"
  self_managed_event_source {
    endpoints = { KAFKA_BOOTSTRAP_SERVERS = "local-cloud://kafka" }
  }
  self_managed_kafka_event_source_config {
    consumer_group_id = "undeclared"
  }
}

resource "aws_lambda_event_source_mapping" "declared_topic" {
  function_name     = "fast"
  topics            = ["declared"]
  starting_position = "TRIM_HORIZON"
  self_managed_event_source {
    endpoints = { KAFKA_BOOTSTRAP_SERVERS = "local-cloud://kafka" }
  }
  self_managed_kafka_event_source_config {
    consumer_group_id = "declared"
  }
}

output "kafka_topics" {
  value = ["declared"]
}

# --- S3 notifications --------------------------------------------------------------------------------------------

resource "aws_s3_bucket" "bucket" {
  for_each = toset(["uploads", "reports", "images"])
  bucket   = each.key
}

# Refused: the queue has no policy at all.
resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.bucket["uploads"].id
  queue {
    queue_arn = "${local.sqs}:no-policy"
    events    = ["s3:ObjectCreated:*"]
  }
}

# Refused: the queue's policy lets S3 send for another bucket only.
resource "aws_s3_bucket_notification" "reports" {
  bucket = aws_s3_bucket.bucket["reports"].id
  queue {
    queue_arn = "${local.sqs}:other-bucket"
    events    = ["s3:ObjectCreated:*"]
  }
}

resource "aws_sqs_queue_policy" "other_bucket" {
  queue_url = aws_sqs_queue.queue["other-bucket"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = "${local.sqs}:other-bucket"
      Condition = { ArnEquals = { "aws:SourceArn" = "arn:aws:s3:::somebody-elses-bucket" } }
    }]
  })
}

resource "aws_s3_bucket_notification" "images" {
  bucket = aws_s3_bucket.bucket["images"].id
  queue {
    queue_arn = "${local.sqs}:allowed"
    events    = ["s3:ObjectCreated:*"]
  }
}

resource "aws_sqs_queue_policy" "allowed" {
  queue_url = aws_sqs_queue.queue["allowed"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = ["s3.amazonaws.com"] }
        Action    = ["sqs:SendMessage"]
        Resource  = "${local.sqs}:allowed"
        Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:s3:::images" }, StringEquals = { "aws:SourceAccount" = "000000000000" } }
      },
      {
        Effect    = "Deny"
        Principal = "*"
        Action    = "sqs:*"
        Resource  = "${local.sqs}:allowed"
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}
