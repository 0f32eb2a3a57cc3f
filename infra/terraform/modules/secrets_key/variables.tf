variable "platform" {
  description = "The stack's shared settings (infra/terraform/main.tf local.platform); reads partition and account_id."
  type = object({
    partition  = string
    account_id = string
  })
}

variable "alias" {
  description = "The key's alias, alias/<prefix>-<capability>-secrets."
  type        = string

  validation {
    condition     = startswith(var.alias, "alias/") && !startswith(var.alias, "alias/aws/")
    error_message = "alias must start with alias/ and not with alias/aws/ (reserved for AWS managed keys)."
  }
}

variable "description" {
  description = "What the key encrypts, shown in the KMS console."
  type        = string
}

variable "deletion_window_days" {
  description = "Days a deleted key waits before it is gone (7 to 30): the time to notice and cancel."
  type        = number
  default     = 30
}
