variable "target" {
  description = "Where the stack goes: aws (a real account), localstack (LocalStack on localhost:4566) or local (the Docker-free local cloud, which only plans)."
  type        = string
  default     = "aws"

  validation {
    condition     = contains(["aws", "localstack", "local"], var.target)
    error_message = "target must be one of: aws, localstack, local."
  }
}

variable "region" {
  description = "AWS region of every resource."
  type        = string
  default     = "us-east-1"
}

variable "prefix" {
  description = "Prefix of every resource name (functions, tables, queues, buckets, the HTTP API)."
  type        = string
  default     = "blocks"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,20}$", var.prefix))
    error_message = "prefix must be 1 to 21 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "artifacts_root" {
  description = "Directory holding functions/<capability>/target/function.zip. Null means the repository root (two levels above this stack)."
  type        = string
  default     = null
}

variable "lambda_runtime" {
  description = "java21 runs the JVM build (with SnapStart), provided.al2023 the native build's bootstrap."
  type        = string
  default     = "java21"

  validation {
    condition     = contains(["java21", "provided.al2023"], var.lambda_runtime)
    error_message = "lambda_runtime must be java21 or provided.al2023."
  }
}

variable "lambda_architecture" {
  description = "Instruction set of every function: x86_64 or arm64 (must match how the artifacts were built)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.lambda_architecture)
    error_message = "lambda_architecture must be x86_64 or arm64."
  }
}

variable "snap_start" {
  description = "Enable Lambda SnapStart on JVM functions (ignored for provided.al2023)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of every function's log group."
  type        = number
  default     = 14
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified by the functions' Errors and Throttles alarms."
  type        = list(string)
  default     = []
}

# TODO(network): for target aws these two come from an ElastiCache Redis and an MSK cluster created by this
# stack once the VPC lands. Until then pass them in. For target local, null means the local cloud's tokens
# (local-cloud://redis, local-cloud://kafka), which it replaces with its own endpoints when it starts functions.
variable "redis_url" {
  description = "Redis URL given to functions (redis://host:port or rediss://...). Required for targets aws and localstack."
  type        = string
  default     = null
}

variable "kafka_bootstrap_servers" {
  description = "Kafka bootstrap servers (host:port,...) for functions and Kafka event source mappings. Required for targets aws and localstack."
  type        = string
  default     = null
}
