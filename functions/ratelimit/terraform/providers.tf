# Same target switch as infra/terraform/providers.tf: plans for local and localstack need neither credentials
# nor network.
locals {
  emulated = var.target != "aws"
  service_endpoint = {
    aws        = null
    localstack = "http://localhost:4566"
    local      = "http://127.0.0.1:1"
  }[var.target]
}

provider "aws" {
  region = var.region

  access_key                  = local.emulated ? "test" : null
  secret_key                  = local.emulated ? "test" : null
  skip_credentials_validation = local.emulated
  skip_metadata_api_check     = local.emulated
  skip_requesting_account_id  = local.emulated
  skip_region_validation      = local.emulated
  s3_use_path_style           = local.emulated

  endpoints {
    apigatewayv2 = local.service_endpoint
    cloudwatch   = local.service_endpoint
    dynamodb     = local.service_endpoint
    events       = local.service_endpoint
    iam          = local.service_endpoint
    lambda       = local.service_endpoint
    logs         = local.service_endpoint
    s3           = local.service_endpoint
    sqs          = local.service_endpoint
    sts          = local.service_endpoint
  }
}
