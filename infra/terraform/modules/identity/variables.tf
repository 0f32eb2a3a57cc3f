variable "platform" {
  description = "The stack's shared settings (see infra/terraform/main.tf, local.platform)."
  type        = any
}

variable "artifact" {
  description = "Path of the function.zip that hosts the api-keys admin function (any capability's artifact)."
  type        = string
}

variable "admin_principal_arns" {
  description = "IAM principals (role or user ARNs, or an account's root ARN) allowed to invoke the api-keys admin function. Empty (the default): no resource-policy grant at all; nothing in this stack is granted lambda:InvokeFunction on it."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.admin_principal_arns : can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:(root|role/.+|user/.+)$", arn))])
    error_message = "admin_principal_arns must be IAM role, user or account root ARNs (arn:aws:iam::123456789012:role/operator); service principals and wildcards are refused."
  }
}
