variable "platform" {
  description = "The stack's shared settings (see infra/terraform/main.tf, local.platform)."
  type        = any
}

variable "artifact" {
  description = "Path of the function.zip that hosts the api-keys admin function (any capability's artifact)."
  type        = string
}
