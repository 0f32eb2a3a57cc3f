variable "target" {
  description = "local (the Docker-free local cloud, which only plans), localstack or aws."
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
  description = "The ratelimit function zip; null means ../target/function.zip."
  type        = string
  default     = null
}

variable "redis_url" {
  description = "Redis the functions use; null means the local cloud's own (local-cloud://redis)."
  type        = string
  default     = null
}

variable "jwt_issuer" {
  description = "When set, every route is guarded by an HTTP API JWT authorizer of this issuer (audience ratelimit-it); the local cloud's own issuer is local-cloud://issuer. Null: the functions authenticate callers by API key."
  type        = string
  default     = null
}

variable "redis_timeout" {
  description = "The limiter's Redis timeout (ISO-8601). The test machine is shared and often saturated: production's 50 ms would let scheduling noise fail checks open, so the stack waits 500 ms; a stopped Redis refuses connections at once, so RedisOutageIT does not depend on it. FaultIT freezes Redis, where only the timeout bounds a check, and runs a cloud of its own with production's PT0.05S."
  type        = string
  default     = "PT0.5S"
}
