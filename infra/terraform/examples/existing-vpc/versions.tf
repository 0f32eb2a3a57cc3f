terraform {
  # The stack called below configures its own provider (infra/terraform/providers.tf), switched by target.
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
