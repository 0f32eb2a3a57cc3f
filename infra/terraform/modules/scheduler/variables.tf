variable "platform" {
  description = "The root stack's local.platform: names, account, runtime, Kafka endpoint, the HTTP API."
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
  description = "Path of functions/scheduler/target/function.zip (may be missing when only planning)."
  type        = string
}

variable "api_keys_table" {
  description = "Name of the shared table of hashed API keys (kit identity) that jobs-api reads."
  type        = string
}

variable "dispatcher_cadence_seconds" {
  description = "How often jobs-dispatcher runs. Whole minutes for AWS (EventBridge rates); shorter only for target local."
  type        = number
  default     = 60

  validation {
    condition     = var.dispatcher_cadence_seconds >= 1 && var.dispatcher_cadence_seconds <= 600 && floor(var.dispatcher_cadence_seconds) == var.dispatcher_cadence_seconds
    error_message = "dispatcher_cadence_seconds must be a whole number from 1 to 600 (the dispatch window is at most 15 minutes)."
  }
}

variable "dispatcher_lead_seconds" {
  description = "How far ahead of its time a run is enqueued at the latest; lead + cadence + margin must stay within 900 (SQS's longest delay)."
  type        = number
  default     = 60
}

variable "dispatcher_margin_seconds" {
  description = "How far past its next tick each tick looks."
  type        = number
  default     = 10
}

variable "dispatcher_lookback_seconds" {
  description = "How far back each tick looks for runs whose claim lapsed; at least lease grace + bucket + cadence."
  type        = number
  default     = 300
}

variable "lease_grace_seconds" {
  description = "How long after its time a claimed run is left to its worker before it is enqueued again."
  type        = number
  default     = 120
}

variable "bucket_seconds" {
  description = "Width of a due-time bucket of the due index."
  type        = number
  default     = 60
}

variable "shards" {
  description = "Due-index partitions per bucket (each takes about 1000 writes/s); see the module README's capacity section."
  type        = number
  default     = 16
}

variable "owner_shards" {
  description = "Partitions of the byOwner index per owner (listings read them all); raise only, lowering hides jobs."
  type        = number
  default     = 8

  validation {
    condition     = var.owner_shards >= 1 && var.owner_shards <= 64
    error_message = "owner_shards must be between 1 and 64."
  }
}

variable "catch_up" {
  description = "Runs later than this are recorded as MISSED instead of firing (a Quarkus duration: 1h, 30m, ...)."
  type        = string
  default     = "1h"
}

variable "run_lease_seconds" {
  description = "An attempt's lease: the run queue's visibility timeout, renewed by the worker's heartbeat. Also the worker's timeout."
  type        = number
  default     = 60
}

variable "max_receive_count" {
  description = "Receives after which SQS itself moves a run message to the DLQ; above the largest maxAttempts a job may ask for."
  type        = number
  default     = 12
}

variable "max_attempts" {
  description = "Attempts of a run when the job does not say."
  type        = number
  default     = 5
}

variable "retry_base" {
  description = "Wait after the first failed attempt (doubling after each further one)."
  type        = string
  default     = "1s"
}

variable "target_timeout" {
  description = "Deadline of one delivery to a target."
  type        = string
  default     = "10s"
}

variable "allowed_private_hosts" {
  description = "Hosts HTTP targets may reach although not public. Keep empty in real deployments (SSRF guard)."
  type        = list(string)
  default     = []
}

# Targets other than HTTP are allow-listed per deployment, by NAME (not ARN): the worker calls functions and
# queues by name, and the worker's IAM policy gets exactly the ARNs built from them (this account and region).
# Nothing of this stack may be listed: every function, queue and topic of it is named "<prefix>-...", and a job
# that reached one could mint API keys or forge the stack's own messages.
variable "allowed_function_targets" {
  description = "Lambda functions (names, this account and region) that jobs may invoke. Empty: none. Never a function of this stack (<prefix>-...), no wildcards, no ARNs."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.allowed_function_targets : can(regex("^[A-Za-z0-9_-]{1,64}$", name))])
    error_message = "allowed_function_targets lists function names exactly: letters, digits, - and _ (no wildcards * or ?, no ARNs)."
  }
  validation {
    condition     = alltrue([for name in var.allowed_function_targets : !startswith(name, "${var.platform.prefix}-")])
    error_message = "allowed_function_targets must not name a function of this stack (a name starting with the prefix followed by -): jobs could call the stack's own functions, e.g. mint API keys."
  }
}

variable "allowed_queue_targets" {
  description = "SQS queues (names, this account and region) that jobs may send to. Empty: none. Never a queue of this stack (<prefix>-...), no wildcards, no ARNs."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.allowed_queue_targets : can(regex("^[A-Za-z0-9_-]{1,80}(\\.fifo)?$", name))])
    error_message = "allowed_queue_targets lists queue names exactly: letters, digits, - and _, optionally .fifo (no wildcards * or ?, no ARNs)."
  }
  validation {
    condition     = alltrue([for name in var.allowed_queue_targets : !startswith(name, "${var.platform.prefix}-")])
    error_message = "allowed_queue_targets must not name a queue of this stack (a name starting with the prefix followed by -): jobs could forge the stack's own messages."
  }
}

variable "allowed_topic_targets" {
  description = "Kafka topics (names) that jobs may produce to. Empty: none. Never a topic of this stack (<prefix>-...), no wildcards."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.allowed_topic_targets : can(regex("^[A-Za-z0-9._-]{1,249}$", name))])
    error_message = "allowed_topic_targets lists topic names exactly: letters, digits, ., - and _ (no wildcards * or ?)."
  }
  validation {
    condition     = alltrue([for name in var.allowed_topic_targets : !startswith(name, "${var.platform.prefix}-")])
    error_message = "allowed_topic_targets must not name a topic of this stack (a name starting with the prefix followed by -): jobs could forge the stack's own events."
  }
}

variable "local_secrets_key" {
  description = "Target local only (no KMS there): the AES-256 key (base64 of 32 bytes) that encrypts the headers of HTTP targets. Targets aws and localstack use the KMS key created here and never this value."
  type        = string
  default     = "bG9jYWwtb25seS1zY2hlZHVsZXItaGVhZGVycy1rZXk="
  sensitive   = true
}

variable "kms_deletion_window_days" {
  description = "Days the scheduler's secrets key waits after deletion before it is gone (7 to 30)."
  type        = number
  default     = 30
}

variable "dispatcher_shard_groups" {
  description = "Dispatcher invocations per tick, each reading an equal share of the shards (fan-out for high rates; see the module README's capacity section)."
  type        = number
  default     = 1

  validation {
    condition     = var.dispatcher_shard_groups >= 1 && floor(var.dispatcher_shard_groups) == var.dispatcher_shard_groups
    error_message = "dispatcher_shard_groups must be a whole number of at least 1."
  }
}

variable "dispatcher_reserved_concurrency" {
  description = "Concurrent dispatcher invocations allowed (null: unreserved). At least the number of shard groups when ticks fan out."
  type        = number
  default     = null
}

variable "early_seconds" {
  description = "How long before its time a run's message becomes visible, so that the worker has read it when the time comes. Below run_lease_seconds."
  type        = number
  default     = 2
}

variable "worker_batch_size" {
  description = "Run messages per worker invocation (above 10 needs a batching window)."
  type        = number
  default     = 10
}

variable "worker_batching_window_seconds" {
  description = "How long the mapping gathers a batch (0 with batches of at most 10)."
  type        = number
  default     = 0
}

variable "worker_threads" {
  description = "Runs of one batch a worker runs at the same time (at most the batch size is useful)."
  type        = number
  default     = 10
}

variable "worker_concurrency" {
  description = "Most concurrent worker invocations the run queue's mapping starts (2 to 1000)."
  type        = number
  default     = 100
}
