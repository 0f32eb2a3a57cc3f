variable "platform" {
  description = "The root stack's local.platform: names, account, runtime, Kafka endpoints, the HTTP API."
  type = object({
    target                  = string
    prefix                  = string
    region                  = string
    partition               = string
    account_id              = string
    runtime                 = optional(string, "java21")
    architecture            = optional(string, "x86_64")
    snap_start              = optional(bool, false)
    tracing                 = optional(bool, false)
    data_key_arn            = optional(string)
    artifact_objects        = optional(map(object({ bucket = string, key = string })), {})
    log_retention_days      = optional(number, 14)
    alarm_actions           = optional(list(string), [])
    kafka_bootstrap_servers = optional(string)
    api_id                  = string
    api_execution_arn       = string
  })
}

variable "artifact" {
  description = "Path of functions/webhooks/target/function.zip (may be missing when only planning)."
  type        = string
}

variable "api_keys_table" {
  description = "Name of the shared table of hashed API keys (kit identity) the HTTP functions read."
  type        = string
}

variable "inbound_queues" {
  description = "More SQS queues (names) sources may publish verified events to, besides <prefix>-webhooks-inbound. They must exist."
  type        = list(string)
  default     = []
}

variable "inbound_topics" {
  description = "More Kafka topics sources may publish to, besides <prefix>-webhooks-inbound."
  type        = list(string)
  default     = []
}

variable "delivery_schedule" {
  description = "Wait before each delivery attempt, comma-separated durations (the first is usually 0s)."
  type        = string
  default     = "0s,5s,5m,30m,2h,5h,10h,10h"
}

variable "delivery_jitter" {
  description = "Random spread of every wait, as a fraction."
  type        = number
  default     = 0.1
}

variable "delivery_timeout" {
  description = "Deadline of one delivery attempt."
  type        = string
  default     = "15s"
}

variable "breaker_threshold" {
  description = "Failures in a row that open an endpoint's circuit breaker."
  type        = number
  default     = 5
}

variable "breaker_open" {
  description = "How long an open breaker defers an endpoint's messages."
  type        = string
  default     = "60s"
}

variable "disable_after" {
  description = "An endpoint failing every delivery for this long is disabled."
  type        = string
  default     = "120h"
}

variable "sweep_after" {
  description = "Messages whose first attempt is still not queued this long after their event was stored are queued by webhooks-sweeper (longer than webhooks-out's timeout)."
  type        = string
  default     = "60s"
}

variable "sweep_schedule" {
  description = "How often webhooks-sweeper runs."
  type        = string
  default     = "rate(1 minute)"
}

variable "endpoint_cache_ttl" {
  description = "How long the deliverer uses an endpoint read before reading it again (how fast API changes reach deliveries)."
  type        = string
  default     = "5s"
}

variable "source_cache_ttl" {
  description = "How long webhooks-in uses a source configuration before reading it again."
  type        = string
  default     = "60s"
}

variable "allowed_private_hosts" {
  description = "Hosts endpoints may have although they resolve to private addresses: a local test receiver only. Keep empty in every deployment."
  type        = list(string)
  default     = []
}

variable "local_secrets_key" {
  description = "Target local only (no KMS there): the AES-256 key (base64 of 32 bytes) that encrypts stored secrets. Targets aws and localstack use the KMS key created here."
  type        = string
  default     = "bG9jYWwtb25seS13ZWJob29rcy1zZWNyZXRzLWtleSE="
  sensitive   = true
}

variable "extra_environment" {
  description = "More environment variables of the webhooks functions (tests use it for JVM options)."
  type        = map(string)
  default     = {}
}

variable "deliverer_memory_mb" {
  description = "Memory of webhooks-deliverer in MB (its HTTP client and concurrent deliveries need more than the other roles)."
  type        = number
  default     = 1024
}

variable "deliverer_concurrency" {
  description = "Most deliverer invocations the queue mapping runs at once (Lambda's maximum_concurrency, at least 2)."
  type        = number
  default     = 20
}

variable "kms_deletion_window_days" {
  description = "Days the webhooks' secrets key waits after deletion before it is gone (7 to 30)."
  type        = number
  default     = 30
}

variable "vpc" {
  description = "Subnets and security groups through which webhooks-in reaches Kafka (MSK); the other roles stay outside the VPC. Null: no VPC (local cloud, LocalStack)."
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

variable "msk" {
  description = "The stack's MSK Serverless cluster (target aws): its ARN and the ARN prefixes of its topics and groups. webhooks-in gets kafka-cluster grants to publish to the inbound topics. Null: a self-managed Kafka without IAM."
  type = object({
    cluster_arn      = string
    topic_arn_prefix = string
    group_arn_prefix = string
    # The result of the stack's topic creation: what reads or writes a topic waits for it.
    topics_ready = optional(string)
  })
  default = null
}
