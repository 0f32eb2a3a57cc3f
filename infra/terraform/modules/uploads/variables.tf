variable "platform" {
  description = "The root stack's local.platform: names, account, runtime, the HTTP API (extra attributes are ignored)."
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
    api_id             = string
    api_execution_arn  = string
  })
}

variable "artifact" {
  description = "functions/uploads/target/function.zip (may be missing when only planning)."
  type        = string
}

variable "api_keys_table" {
  description = "DynamoDB table of hashed API keys the API authenticates callers with. Null means <prefix>-api-keys."
  type        = string
  default     = null
}

variable "bucket_name" {
  description = "Bucket name. Null means <prefix>-uploads-<account>-<region> (bucket names are global)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Let terraform destroy delete a bucket that still holds files (for throw-away stacks only)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "KMS key for the bucket's default encryption. Null means SSE-S3 (AES256)."
  type        = string
  default     = null
}

variable "cors_allowed_origins" {
  description = "Web origins whose pages may upload and download with the presigned URLs (the URLs carry the authorization; CORS only decides which pages may read S3's answers)."
  type        = list(string)
  default     = ["*"]
}

variable "authorizer_id" {
  description = "An HTTP API JWT authorizer for the routes. Null means the function authenticates callers itself (X-Api-Key)."
  type        = string
  default     = null
}

variable "settings" {
  description = "More BLOCKS_UPLOADS_* settings for all three functions (functions/uploads/README.md lists them), e.g. { BLOCKS_UPLOADS_MAX_SIZE = \"1073741824\" }."
  type        = map(string)
  default     = {}
}

variable "reconcile_schedule" {
  description = "How often uploads-reconciler looks for lost notifications and expired uploads."
  type        = string
  default     = "rate(15 minutes)"
}

variable "events_max_receive_count" {
  description = "Deliveries of one S3 event before it goes to the dead-letter queue."
  type        = number
  default     = 5
}
