terraform {
  # 1.11: write-only attributes (the shortener's secrets are written to SSM with value_wo, never into state).
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
