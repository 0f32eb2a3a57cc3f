# Target aws only: the deployment packages go to Lambda through S3. A direct upload is refused above 50 MB, and the
# JVM packages of the shortener, scheduler and webhooks are over it (S3 allows 250 MB unzipped). One object per
# artifact, named by its content's hash, so a new build is a new key and every function of that artifact updates;
# the local cloud and LocalStack keep reading the files directly.

locals {
  artifacts_in_s3 = var.target == "aws"
  artifact_paths = { for capability in ["uploads", "shortener", "scheduler", "webhooks", "ratelimit"] :
  capability => "${local.artifacts_root}/functions/${capability}/target/function.zip" }

  # modules/function's lookup: the object that holds an artifact, by the artifact's path (what modules pass on).
  artifact_objects = { for capability, o in aws_s3_object.artifact :
  local.artifact_paths[capability] => { bucket = o.bucket, key = o.key } }
}

resource "aws_s3_bucket" "artifacts" {
  count = local.artifacts_in_s3 ? 1 : 0

  bucket = "${var.prefix}-artifacts-${local.account_id}-${var.region}"
  # Only build outputs: destroying the stack removes them with it.
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  count = local.artifacts_in_s3 ? 1 : 0

  bucket                  = aws_s3_bucket.artifacts[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  count = local.artifacts_in_s3 ? 1 : 0

  bucket = aws_s3_bucket.artifacts[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_policy" "artifacts" {
  count = local.artifacts_in_s3 ? 1 : 0

  bucket = aws_s3_bucket.artifacts[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TlsOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.artifacts[0].arn, "${aws_s3_bucket.artifacts[0].arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
  # A bucket policy is refused while the public access block is being written.
  depends_on = [aws_s3_bucket_public_access_block.artifacts]
}

resource "aws_s3_object" "artifact" {
  for_each = local.artifacts_in_s3 ? local.artifact_paths : {}

  bucket = aws_s3_bucket.artifacts[0].id
  # A plan without the artifact built still works (and an apply then fails on the missing file, as it should).
  key         = "${each.key}/${try(filesha256(each.value), "not-built")}.zip"
  source      = each.value
  source_hash = try(filemd5(each.value), null)
}
