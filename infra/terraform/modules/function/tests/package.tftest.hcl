# Where a function's package comes from (terraform test with a mocked AWS provider, plans only): the S3 object the
# stack uploaded when there is one for the artifact (target aws, where packages over 50 MB cannot be uploaded
# directly), else the file itself.

mock_provider "aws" {}

variables {
  platform = {
    region     = "us-east-1"
    partition  = "aws"
    account_id = "123456789012"
  }
  name     = "t-links-api"
  artifact = "../../../functions/shortener/target/function.zip"
}

run "an_uploaded_artifact_is_taken_from_s3" {
  command = plan
  variables {
    platform = merge(var.platform, { artifact_objects = {
      "../../../functions/shortener/target/function.zip" = { bucket = "t-artifacts", key = "shortener/abc.zip" }
      "../../../functions/uploads/target/function.zip"   = { bucket = "t-artifacts", key = "uploads/def.zip" }
    } })
  }
  assert {
    condition     = aws_lambda_function.this.s3_bucket == "t-artifacts" && aws_lambda_function.this.s3_key == "shortener/abc.zip" && aws_lambda_function.this.filename == null
    error_message = "a function whose artifact the stack uploaded must be deployed from that object, not the file"
  }
}

run "without_an_upload_the_file_is_deployed" {
  command = plan
  assert {
    condition     = aws_lambda_function.this.filename == var.artifact && aws_lambda_function.this.s3_bucket == null && aws_lambda_function.this.s3_key == null
    error_message = "without an uploaded object the function must be deployed from the file (local cloud, LocalStack)"
  }
}

run "the_log_format_is_json_into_the_functions_own_group" {
  command = plan
  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_format == "JSON" && aws_lambda_function.this.logging_config[0].log_group == "/aws/lambda/t-links-api" && aws_cloudwatch_log_group.this.retention_in_days == 14
    error_message = "every function logs JSON into its own group, with a retention"
  }
}

run "tracing_follows_the_platform" {
  command = plan
  variables {
    platform = merge(var.platform, { tracing = true })
  }
  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "Active" && strcontains(aws_iam_role_policy.this.policy, "xray:PutTraceSegments")
    error_message = "platform.tracing must turn on active tracing and grant the role what it needs"
  }
}
