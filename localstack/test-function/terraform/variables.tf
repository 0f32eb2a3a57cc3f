variable "target" {
  description = "local (the Docker-free local cloud, which only plans), localstack or aws; see infra/terraform/README.md."
  type        = string
  default     = "local"

  validation {
    condition     = contains(["aws", "localstack", "local"], var.target)
    error_message = "target must be one of: aws, localstack, local."
  }
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "artifact" {
  description = "The test function's zip; null means ../target/function.zip."
  type        = string
  default     = null
}

variable "lambda_runtime" {
  type    = string
  default = "java21"
}

variable "test_schedule" {
  description = "How often test-schedule fires."
  type        = string
  default     = "rate(1 minute)"
}

variable "kafka_bootstrap_servers" {
  description = "Bootstrap servers of the Kafka mapping; null means the local cloud's token (target local only)."
  type        = string
  default     = null
}
