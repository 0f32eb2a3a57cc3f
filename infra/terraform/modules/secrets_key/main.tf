# A customer-managed KMS key for the secrets a capability stores (webhook signing secrets, scheduler HTTP-target
# headers), rotated yearly, with an alias. The account administers it; the functions' own IAM policies grant its
# use action by action (encrypt where secrets are written, decrypt where they are used), so no role gets more.

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_days
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministers"
      Effect    = "Allow"
      Principal = { AWS = "arn:${var.platform.partition}:iam::${var.platform.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_alias" "this" {
  name          = var.alias
  target_key_id = aws_kms_key.this.key_id
}
