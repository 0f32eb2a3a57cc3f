# Target aws deploys the packages through S3 (terraform test with a mocked AWS provider, plans only; check.sh runs
# it): Lambda refuses a direct upload over 50 MB, and three JVM packages are over it.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

variables {
  target                   = "aws"
  shortener_code_key       = "7345912387412398741"
  shortener_visitor_secret = "test-only-visitor-secret-0123456789abcdef"
}

run "every_artifact_is_uploaded_to_a_private_tls_only_bucket" {
  command = plan

  assert {
    condition     = toset(keys(aws_s3_object.artifact)) == toset(["uploads", "shortener", "scheduler", "webhooks", "ratelimit"])
    error_message = "each of the five artifacts must be uploaded"
  }
  assert {
    condition     = alltrue([for capability, o in aws_s3_object.artifact : o.source == local.artifact_paths[capability] && startswith(o.key, "${capability}/")])
    error_message = "each object must hold its capability's artifact, under the capability's name"
  }
  # The objects are found by the artifact paths the modules are given (main.tf passes local.artifact_paths).
  assert {
    condition     = toset(keys(local.artifact_objects)) == toset(values(local.artifact_paths))
    error_message = "modules/function looks objects up by artifact path: every path must have its object"
  }
  assert {
    condition = (aws_s3_bucket_public_access_block.artifacts[0].block_public_acls && aws_s3_bucket_public_access_block.artifacts[0].block_public_policy
    && aws_s3_bucket_public_access_block.artifacts[0].ignore_public_acls && aws_s3_bucket_public_access_block.artifacts[0].restrict_public_buckets)
    error_message = "the artifacts bucket must block every kind of public access"
  }
  assert {
    condition     = jsondecode(aws_s3_bucket_policy.artifacts[0].policy).Statement[0].Effect == "Deny" && jsondecode(aws_s3_bucket_policy.artifacts[0].policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false"
    error_message = "the artifacts bucket must refuse requests without TLS"
  }
}

run "local_and_localstack_read_the_files" {
  command = plan
  variables {
    target                  = "localstack"
    redis_url               = "redis://localhost:6379"
    kafka_bootstrap_servers = "localhost:9092"
  }
  assert {
    condition     = length(aws_s3_object.artifact) == 0 && length(aws_s3_bucket.artifacts) == 0 && length(local.artifact_objects) == 0
    error_message = "only target aws uploads packages to S3"
  }
}
