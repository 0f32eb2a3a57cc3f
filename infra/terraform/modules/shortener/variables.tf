variable "platform" {
  description = "The root stack's local.platform: names, account, runtime, Redis and Kafka endpoints, the HTTP API."
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
    redis_url               = string
    kafka_bootstrap_servers = string
    api_id                  = string
    api_execution_arn       = string
  })
}

variable "artifact" {
  description = "Path of functions/shortener/target/function.zip (may be missing when only planning)."
  type        = string
}

variable "api_keys_table" {
  description = "Name of the shared table of hashed API keys (kit identity) that links-api reads."
  type        = string
}

variable "base_url" {
  description = "Base of short URLs (https://sho.rt). Null: local-cloud://gateway on target local, else the host each request came in on."
  type        = string
  default     = null
}

variable "own_hosts" {
  description = "More host names of the shortener that links must not point at (besides base_url's)."
  type        = list(string)
  default     = []
}

variable "code_key" {
  description = "Key of the code scrambler: a random non-zero 64-bit integer as a string, one per deployment (e.g. `od -An -td8 -N8 /dev/urandom`). Never change it after codes were issued. Required on targets aws and localstack; null on target local uses a development key."
  type        = string
  default     = null
  sensitive   = true

  validation {
    # No leading zeros and no zero: the key must be a number Java reads back as the same non-zero long.
    condition     = var.code_key == null || try(can(regex("^-?[1-9][0-9]{0,18}$", var.code_key)) && tonumber(var.code_key) >= -9223372036854775808 && tonumber(var.code_key) <= 9223372036854775807, false)
    error_message = "code_key must be a non-zero 64-bit integer (decimal, no leading zeros)."
  }
}

variable "visitor_secret" {
  description = "Secret of the visitor hash (HMAC of client IPs): a random string of at least 32 characters, one per deployment (e.g. `openssl rand -base64 32`). Required on targets aws and localstack; null on target local uses a development secret."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = var.visitor_secret == null || try(length(var.visitor_secret) >= 32, false)
    error_message = "visitor_secret must be at least 32 characters."
  }
}

variable "secrets_version" {
  description = "Version of the values written to the SecureString parameters (targets aws and localstack). The values are write-only, so Terraform cannot see a change: raise this number to write new ones (the code key must never change once codes were issued)."
  type        = number
  default     = 1
}

variable "kms_deletion_window_days" {
  description = "Days the module's secrets key waits before deletion (7 to 30) once the module is destroyed."
  type        = number
  default     = 30
}

variable "clicks_topic" {
  description = "Kafka topic of click events (suffix after the prefix)."
  type        = string
  default     = "clicks"
}

variable "redirect_memory_mb" {
  description = "Memory (and so CPU) of the redirect function, the hot path."
  type        = number
  default     = 1024
}

variable "click_publishing" {
  description = "How the redirect publishes a click: the producer's linger, and how long the redirect waits for the broker's ack before answering anyway (Lambda freezes the environment after the response, so an unacked click is late or lost). Durations in Quarkus form (\"200ms\")."
  type = object({
    linger            = optional(string, "0ms")
    delivery_deadline = optional(string, "200ms")
  })
  default = {}
}

variable "click_spool" {
  description = "The spool of clicks Kafka could not take (<prefix>-clicks-spool), replayed into the stream by clicks-replay. A batch the broker still refuses comes back after visibility_timeout_seconds (at least the function's 10 s timeout); after max_receive_count receives a click goes to <prefix>-clicks-spool-dlq (alarmed). The defaults ride out a broker outage of about 4 hours."
  type = object({
    visibility_timeout_seconds = optional(number, 60)
    max_receive_count          = optional(number, 240)
  })
  default = {}

  validation {
    condition     = var.click_spool.visibility_timeout_seconds >= 10 && var.click_spool.visibility_timeout_seconds <= 43200 && var.click_spool.max_receive_count >= 1 && var.click_spool.max_receive_count <= 1000
    error_message = "click_spool.visibility_timeout_seconds must be 10 to 43200 (not below the function's timeout) and max_receive_count 1 to 1000."
  }
}

variable "clicks_batch_size" {
  description = "Kafka records per clicks invocation: larger batches mean fewer counter updates per click."
  type        = number
  default     = 500
}

variable "clicks_retry_attempts" {
  description = "Retries of a click batch the clicks function failed, after the first attempt (0-10000), before its record goes to <prefix>-clicks-failed. 5 rides out a throttle or a blip of DynamoDB or Redis (counting is idempotent, so a retry costs only an invocation) while a record that can never be counted holds its partition for seconds, not for good. -1 (Lambda's default, infinite) becomes 10 with an on-failure destination."
  type        = number
  default     = 5

  validation {
    condition     = var.clicks_retry_attempts >= -1 && var.clicks_retry_attempts <= 10000
    error_message = "clicks_retry_attempts must be -1 (infinite) or 0 to 10000."
  }
}

variable "clicks_max_record_age_seconds" {
  description = "Clicks older than this are not counted but recorded in <prefix>-clicks-failed: -1 (the default, infinite) counts every click however late; else 60 to 604800."
  type        = number
  default     = -1

  validation {
    condition     = var.clicks_max_record_age_seconds == -1 || (var.clicks_max_record_age_seconds >= 60 && var.clicks_max_record_age_seconds <= 604800)
    error_message = "clicks_max_record_age_seconds must be -1 or 60 to 604800."
  }
}

variable "clicks_pollers" {
  description = "Event pollers of the clicks mapping (provisioned mode, which the retry cap, bisection and the on-failure queue require; each poller is billed). One keeps up with thousands of clicks a second; more than the topic's partitions is idle."
  type = object({
    minimum = optional(number, 1)
    maximum = optional(number, 2)
  })
  default = {}

  validation {
    condition     = var.clicks_pollers.minimum >= 1 && var.clicks_pollers.minimum <= var.clicks_pollers.maximum
    error_message = "clicks_pollers.minimum must be at least 1 and at most clicks_pollers.maximum."
  }
}

variable "create_rate_limits" {
  description = "Rate-limit rules of POST /v1/links, as a list of rule objects (the kit's rule format, see functions/ratelimit/README.md). Null keeps the function's defaults: 600 a minute per API key (burst 60), per user for authorizer callers, and 1200 a minute per client IP."
  type        = any
  default     = null
}

variable "miss_rate_limits" {
  description = "Rate-limit rules charged with each redirect of a code DynamoDB does not know (GET /{code}), as a list of rule objects (the kit's rule format, see functions/ratelimit/README.md). Null keeps the function's default: 60 unknown codes a minute per client IP (an IPv6 client by its /64), burst 60."
  type        = any
  default     = null
}

variable "vpc" {
  description = "Subnets and security groups through which every role reaches Redis and Kafka (ElastiCache, MSK), with the grants Redis authentication needs (modules/function's vpc). Null: no VPC (local cloud, LocalStack)."
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
  description = "The stack's MSK Serverless cluster (target aws): its ARN and the ARN prefixes of its topics and groups (the cluster's ARN with topic/group for cluster). The clicks mapping reads it as an MSK event source and the roles get kafka-cluster grants. Null: a self-managed Kafka at platform.kafka_bootstrap_servers, without IAM."
  type = object({
    cluster_arn      = string
    topic_arn_prefix = string
    group_arn_prefix = string
    # The result of the stack's topic creation: what reads or writes a topic waits for it.
    topics_ready = optional(string)
  })
  default = null
}

variable "extra_environment" {
  description = "More environment variables for every role, e.g. how to authenticate to Redis and Kafka on aws (BLOCKS_REDIS_AUTH, BLOCKS_KAFKA_AUTH; infra/terraform/README.md)."
  type        = map(string)
  default     = {}
}
