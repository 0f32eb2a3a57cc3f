# All five capabilities (shortener, uploads, scheduler, webhooks, ratelimit) with identity, as one deployment:
# the repository's root stack called as a module. It configures its own provider from `target`, so it is called
# without count, for_each or depends_on, and this configuration has no provider block of its own.
#
# The locals below are example values in the documentation account 111122223333: replace them with your
# operators' roles, your alarm topic and KMS key, and the functions, queues and topics jobs may reach.

locals {
  account_id = "111122223333"

  operator_principal_arns = ["arn:aws:iam::${local.account_id}:role/platform-operators"]
  alarm_actions           = ["arn:aws:sns:${var.region}:${local.account_id}:blocks-alarms"]
  uploads_kms_key_arn     = "arn:aws:kms:${var.region}:${local.account_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"

  # Topic targets need a Kafka that jobs-worker reaches from outside the VPC without IAM: on aws that is a given
  # kafka_bootstrap_servers, never the MSK Serverless cluster the stack creates (the stack refuses that plan).
  topic_targets_reachable = var.target != "aws" || var.kafka_bootstrap_servers != null
}

module "blocks" {
  source = "../.."

  target = var.target
  region = var.region
  prefix = "acme"

  # The function.zip files are under the repository root (functions/<capability>/target).
  artifacts_root      = "${path.root}/../../../.."
  lambda_runtime      = "java21"
  lambda_architecture = "arm64"
  log_retention_days  = 30
  alarm_actions       = local.alarm_actions

  redis_url               = var.redis_url
  kafka_bootstrap_servers = var.kafka_bootstrap_servers

  # Who may do what.
  operator_principal_arns  = local.operator_principal_arns
  ratelimit_admin_owners   = ["ops-team"]
  uploads_kms_key_arn      = local.uploads_kms_key_arn
  allowed_function_targets = ["billing-reconcile", "reports-nightly"]
  allowed_queue_targets    = ["billing-jobs"]
  allowed_topic_targets    = local.topic_targets_reachable ? ["billing-events"] : []

  shortener_code_key       = var.shortener_code_key
  shortener_visitor_secret = var.shortener_visitor_secret
}
