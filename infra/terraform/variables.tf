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
  description = "Enable Lambda SnapStart on JVM functions (ignored for provided.al2023). Off by default: the functions open Redis, Kafka and HTTP connections during init and have no restore hooks yet, so a restored snapshot would start with dead connections (see infra/terraform/README.md)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of every function's log group."
  type        = number
  default     = 14
}

variable "tracing" {
  description = "Active AWS X-Ray tracing of every function: a trace per invocation, with its cold start, joined to API Gateway's and SQS's segments (the roles get xray:PutTraceSegments). Off by default: traces are billed per recorded trace."
  type        = bool
  default     = false
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified by the functions' Errors and Throttles alarms."
  type        = list(string)
  default     = []
}

# For target aws, null means "created by this stack": an ElastiCache Serverless cache and an MSK Serverless cluster
# in the network below. For target local, null means the local cloud's tokens (local-cloud://redis,
# local-cloud://kafka), which it replaces with its own endpoints when it starts functions.
variable "redis_url" {
  description = "Redis URL given to functions (redis://host:port or rediss://...): an existing Redis instead of the stack's. Null: on aws an ElastiCache Serverless cache is created (TLS, IAM auth), on local the local cloud's. Required for target localstack."
  type        = string
  default     = null
}

variable "kafka_bootstrap_servers" {
  description = "Kafka bootstrap servers (host:port,...): an existing Kafka instead of the stack's, reached without authentication by functions and self-managed Kafka event source mappings. Null: on aws an MSK Serverless cluster is created (SASL/IAM), on local the local cloud's. Required for target localstack."
  type        = string
  default     = null
}

# --- network, Redis and Kafka on AWS (target aws only) -----------------------------------------------------------

variable "network" {
  description = "Target aws: the private network of the functions that talk to Redis or Kafka, and of ElastiCache and MSK. Either a new VPC ({ create = true, cidr, availability_zones (null: the region's first two) }) or an existing one ({ create = false, existing_vpc_id, subnet_ids (>= 2 private subnets) }). Gateway endpoints (DynamoDB, S3) and interface_endpoints are created unless create_endpoints is false; there is no NAT gateway. Ignored by targets local and localstack."
  type = object({
    create              = optional(bool, true)
    cidr                = optional(string, "10.40.0.0/16")
    availability_zones  = optional(list(string))
    existing_vpc_id     = optional(string)
    subnet_ids          = optional(list(string), [])
    create_endpoints    = optional(bool, true)
    interface_endpoints = optional(list(string), ["sqs", "kms", "lambda", "secretsmanager", "ssm", "sts"])
  })
  default = {}

  validation {
    condition     = var.network.create ? (var.network.existing_vpc_id == null && length(var.network.subnet_ids) == 0) : (var.network.existing_vpc_id != null && length(var.network.subnet_ids) >= 2)
    error_message = "network: either create = true (and no existing_vpc_id or subnet_ids), or create = false with existing_vpc_id and at least two private subnet_ids."
  }
}

variable "redis_engine" {
  description = "Engine of the ElastiCache Serverless cache created on target aws: valkey (the default, priced below redis) or redis."
  type        = string
  default     = "valkey"

  validation {
    condition     = contains(["valkey", "redis"], var.redis_engine)
    error_message = "redis_engine must be valkey or redis."
  }
}

# --- who may do what (README "Security model") ------------------------------------------------------------------

variable "operator_principal_arns" {
  description = "IAM roles or users (or an account root ARN) allowed to invoke the api-keys admin function, the operators' tool that issues, imports and revokes API keys. Empty (the default): nobody but the account's administrators through their own IAM policies; no function of this stack may invoke it."
  type        = list(string)
  default     = []
}

variable "ratelimit_admin_owners" {
  description = "Owners (API-key owners, or jwt:<issuer>#<sub>) allowed to use the rate-limit rules admin API. Empty (the default): nobody."
  type        = list(string)
  default     = []
}

variable "uploads_kms_key_arn" {
  description = "Customer-managed KMS key for the uploads bucket's default encryption; every role that reads or writes the bucket is granted kms:GenerateDataKey and kms:Decrypt on exactly this key. Null: SSE-S3."
  type        = string
  default     = null
}

variable "allowed_function_targets" {
  description = "Lambda functions (names, in this account and region) that scheduled jobs may invoke. Empty (the default): no function targets. Functions of this stack (<prefix>-*) are refused."
  type        = list(string)
  default     = []
}

variable "allowed_queue_targets" {
  description = "SQS queues (names, in this account and region) that scheduled jobs may send to. Empty (the default): no queue targets. Queues of this stack (<prefix>-*) are refused."
  type        = list(string)
  default     = []
}

variable "allowed_topic_targets" {
  description = "Kafka topics that scheduled jobs may publish to. Empty (the default): no topic targets. Topics of this stack (<prefix>-*) are refused."
  type        = list(string)
  default     = []
}

variable "shortener_code_key" {
  description = "Key of the shortener's code scrambler: a random non-zero 64-bit integer as a string, one per deployment (`od -An -td8 -N8 /dev/urandom`); never change it once codes were issued. Required on targets aws and localstack (no default works there); null on target local uses a public development key."
  type        = string
  default     = null
  sensitive   = true
}

variable "shortener_visitor_secret" {
  description = "Secret of the shortener's visitor hash (HMAC of client IPs): at least 32 random characters (`openssl rand -base64 32`). Required on targets aws and localstack; null on target local uses a public development secret."
  type        = string
  default     = null
  sensitive   = true
}
