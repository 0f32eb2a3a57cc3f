variable "platform" {
  description = "The root stack's local.platform: names, account, runtime, the Redis endpoint, the HTTP API (extra attributes are ignored)."
  type = object({
    target             = string
    prefix             = string
    region             = string
    partition          = string
    account_id         = string
    runtime            = optional(string, "java21")
    architecture       = optional(string, "x86_64")
    snap_start         = optional(bool, false)
    tracing            = optional(bool, false)
    data_key_arn       = optional(string)
    artifact_objects   = optional(map(object({ bucket = string, key = string })), {})
    log_retention_days = optional(number, 14)
    alarm_actions      = optional(list(string), [])
    redis_url          = string
    api_id             = string
    api_execution_arn  = string
  })
}

variable "artifact" {
  description = "Path of functions/ratelimit/target/function.zip (may be missing when only planning)."
  type        = string
}

variable "api_keys_table" {
  description = "DynamoDB table of hashed API keys (kit identity) the functions authenticate callers with. Null means <prefix>-api-keys."
  type        = string
  default     = null
}

variable "rules" {
  description = "Rules from configuration (BLOCKS_RATELIMIT_RULES), each as its JSON object with an id, e.g. { id = \"global\", algorithm = \"gcra\", limit = 1000000, windowSeconds = 60 }. In force whatever the table holds; the admin API cannot change them. shared = true makes a rule's check counters common to every caller (default: per caller's owner)."
  # any, not list(any): rules differ in which optional fields they set.
  type    = any
  default = []
}

variable "admin_owners" {
  description = "Owners allowed to use the rules admin API: API-key owners, or jwt:<issuer>#<sub> for token users. Empty (the default): nobody, every caller gets 403."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.admin_owners : length(trimspace(o)) > 0 && !strcontains(o, ",")])
    error_message = "admin_owners must be non-empty owner names without commas (they reach the function as one comma-separated list)."
  }
}

variable "settings" {
  description = "More BLOCKS_RATELIMIT_* settings for both functions (functions/ratelimit/README.md lists them), e.g. { BLOCKS_RATELIMIT_REFRESH = \"PT2S\" }."
  type        = map(string)
  default     = {}
}

variable "api_memory_mb" {
  description = "Memory (and so CPU) of ratelimit-api, the function on the hot path."
  type        = number
  default     = 1024
}

variable "authorizer_id" {
  description = "An HTTP API JWT authorizer for the routes. Null means the functions authenticate callers themselves (X-Api-Key)."
  type        = string
  default     = null
}

variable "vpc" {
  description = "Subnets and security groups through which ratelimit-api reaches Redis (ElastiCache), and grants: the IAM statements its authentication needs (modules/function's vpc). Null: no VPC (local cloud, LocalStack, a public Redis)."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
    grants = optional(list(object({
      actions   = list(string)
      resources = list(string)
    })), [])
  })
  default = null
}
