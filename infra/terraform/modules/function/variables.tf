variable "platform" {
  description = "Settings shared by every function of a stack (the root's local.platform; extra attributes are ignored). tracing: active X-Ray tracing of every function (the root's variable tracing). artifact_objects: S3 objects that hold artifacts, by artifact path (target aws: packages over Lambda's 50 MB direct-upload limit go through S3)."
  type = object({
    region             = string
    partition          = string
    account_id         = string
    runtime            = optional(string, "java21")
    architecture       = optional(string, "x86_64")
    snap_start         = optional(bool, false)
    log_retention_days = optional(number, 14)
    alarm_actions      = optional(list(string), [])
    tracing            = optional(bool, false)
    artifact_objects   = optional(map(object({ bucket = string, key = string })), {})
  })

  validation {
    condition     = contains(["java21", "provided.al2023"], var.platform.runtime)
    error_message = "platform.runtime must be java21 (JVM build) or provided.al2023 (native build)."
  }

  validation {
    condition     = contains(["x86_64", "arm64"], var.platform.architecture)
    error_message = "platform.architecture must be x86_64 or arm64."
  }
}

variable "name" {
  description = "Lambda function name; also names its role, log group and alarms."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,52}$", var.name))
    error_message = "name must be 1 to 52 letters, digits, dashes or underscores (room is left for derived names)."
  }
}

variable "blocks_function" {
  description = "Value of BLOCKS_FUNCTION: which handler the shared dispatcher of the artifact runs. Null means the function name."
  type        = string
  default     = null
}

variable "artifact" {
  description = "Path of the deployment zip (functions/<capability>/target/function.zip). It may be missing when only planning."
  type        = string
}

variable "memory_mb" {
  description = "Memory of the function in MB (CPU grows with it)."
  type        = number
  default     = 512
}

variable "timeout_seconds" {
  description = "Lambda's timeout; work stops blocks.stop-margin (1 s) before it (dev.blocks.kit.lambda.Invocation)."
  type        = number
  default     = 15
}

variable "environment" {
  description = "Environment variables. Give names of tables, queues and buckets (known at plan time), never URLs or ARNs of created resources."
  type        = map(string)
  default     = {}
}

variable "policy_statements" {
  description = "The only permissions of the function's role besides writing its own logs. Actions must be named one by one."
  type = list(object({
    actions   = list(string)
    resources = list(string)
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.policy_statements : alltrue([for a in s.actions : !strcontains(a, "*")])])
    error_message = "policy_statements must name each action (no wildcards in actions)."
  }
}

variable "invoke_permissions" {
  description = "Who may invoke the function's live alias, keyed by a stable label: { api = { principal = \"apigateway.amazonaws.com\", source_arn = \"...\" } }."
  type = map(object({
    principal  = string
    source_arn = optional(string)
  }))
  default = {}
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions; null leaves the function unreserved."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrency == null || try(var.reserved_concurrency >= 1, false)
    error_message = "reserved_concurrency must be null or at least 1 (0 would stop the function)."
  }
}

variable "vpc" {
  description = "Subnets and security groups when the function must reach resources in a VPC (ElastiCache, MSK), and grants: IAM statements that go with the stores reached there (elasticache:Connect for ElastiCache's IAM authentication), added to the role like policy_statements."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
    grants = optional(list(object({
      actions   = list(string)
      resources = list(string)
    })), [])
  })
  default = null

  validation {
    condition     = var.vpc == null || try(length(var.vpc.subnet_ids) > 0 && length(var.vpc.security_group_ids) > 0, false)
    error_message = "vpc needs at least one subnet and one security group."
  }

  validation {
    condition     = var.vpc == null || alltrue([for s in try(var.vpc.grants, []) : alltrue([for a in s.actions : !strcontains(a, "*")])])
    error_message = "vpc.grants must name each action (no wildcards in actions)."
  }
}
