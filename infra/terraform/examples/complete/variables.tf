variable "target" {
  description = "Where the stack goes: aws, localstack or local (see infra/terraform/README.md, \"Targets\")."
  type        = string
  default     = "aws"
}

variable "region" {
  description = "AWS region of every resource."
  type        = string
  default     = "us-east-1"
}

variable "redis_url" {
  description = "An existing Redis (redis:// or rediss://). Null: on aws the stack creates ElastiCache Serverless, on local the local cloud's. Required for target localstack."
  type        = string
  default     = null
}

variable "kafka_bootstrap_servers" {
  description = "An existing Kafka (host:port,...). Null: on aws the stack creates MSK Serverless, on local the local cloud's. Required for target localstack."
  type        = string
  default     = null
}

variable "shortener_code_key" {
  description = "Key of the shortener's code scrambler: a random non-zero 64-bit integer as a string, one per deployment, never changed once codes were issued. Required on aws and localstack."
  type        = string
  default     = null
  sensitive   = true
}

variable "shortener_visitor_secret" {
  description = "Secret of the shortener's visitor hash: at least 32 random characters. Required on aws and localstack."
  type        = string
  default     = null
  sensitive   = true
}
