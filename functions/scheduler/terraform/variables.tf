variable "target" {
  description = "local (the Docker-free local cloud, which only plans), localstack or aws; see infra/terraform/README.md."
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

variable "prefix" {
  type    = string
  default = "sch"
}

variable "kafka_bootstrap_servers" {
  description = "Null means the local cloud's token (target local only)."
  type        = string
  default     = null
}

variable "dispatcher_cadence_seconds" {
  description = "Shortened for tests (the local cloud accepts rate(N seconds))."
  type        = number
  default     = 3
}

variable "run_lease_seconds" {
  description = "Short, so that a killed worker's run comes back quickly; long enough for a cold worker on a busy machine."
  type        = number
  default     = 45
}

variable "target_timeout" {
  description = "Deadline of one delivery; RecurringIT raises it (with run_lease_seconds) for targets slower than a minute."
  type        = string
  default     = "5s"
}
