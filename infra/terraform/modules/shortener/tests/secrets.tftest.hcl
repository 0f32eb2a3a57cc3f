# The module's secrets offline (terraform test with a mocked AWS provider): no deployment outside the local cloud
# runs on the public development values, and what is given reaches the functions.

mock_provider "aws" {}

variables {
  platform = {
    target                  = "aws"
    prefix                  = "t"
    region                  = "us-east-1"
    partition               = "aws"
    account_id              = "123456789012"
    redis_url               = "rediss://cache.internal:6379"
    kafka_bootstrap_servers = "kafka.internal:9098"
    api_id                  = "mockapi"
    api_execution_arn       = "arn:aws:execute-api:us-east-1:123456789012:mockapi"
  }
  artifact       = "missing/function.zip"
  api_keys_table = "t-api-keys"
}

run "aws_without_secrets_is_refused" {
  command         = plan
  expect_failures = [aws_dynamodb_table.links]
}

run "localstack_without_secrets_is_refused" {
  command = plan
  variables {
    platform = merge(var.platform, { target = "localstack" })
  }
  expect_failures = [aws_dynamodb_table.links]
}

run "a_short_visitor_secret_is_refused" {
  command = plan
  variables {
    code_key       = "4242424242424242"
    visitor_secret = "0123456789abcdef0123456789abcde"
  }
  expect_failures = [var.visitor_secret]
}

run "a_zero_code_key_is_refused" {
  command = plan
  variables {
    code_key       = "0"
    visitor_secret = "0123456789abcdef0123456789abcdef"
  }
  expect_failures = [var.code_key]
}

run "a_code_key_java_cannot_read_back_is_refused" {
  command = plan
  variables {
    code_key       = "9223372036854775808"
    visitor_secret = "0123456789abcdef0123456789abcdef"
  }
  expect_failures = [var.code_key]
}

run "a_code_key_with_a_leading_zero_is_refused" {
  command = plan
  variables {
    code_key       = "0042"
    visitor_secret = "0123456789abcdef0123456789abcdef"
  }
  expect_failures = [var.code_key]
}

run "aws_with_both_secrets_passes_them_to_the_functions" {
  command = plan
  variables {
    code_key       = "-9223372036854775807"
    visitor_secret = "0123456789abcdef0123456789abcdef"
  }
  assert {
    condition     = local.environment.SHORTENER_CODES_KEY == "-9223372036854775807"
    error_message = "the given code_key must reach the functions"
  }
  assert {
    condition     = local.environment.SHORTENER_CLICKS_VISITOR_SECRET == "0123456789abcdef0123456789abcdef"
    error_message = "the given visitor_secret must reach the functions"
  }
}

run "local_uses_the_development_values" {
  command = plan
  variables {
    platform = merge(var.platform, { target = "local" })
  }
  assert {
    condition     = local.environment.SHORTENER_CODES_KEY == local.dev_code_key && length(local.environment.SHORTENER_CLICKS_VISITOR_SECRET) >= 32
    error_message = "target local must get the development values"
  }
}
