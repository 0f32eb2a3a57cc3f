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
