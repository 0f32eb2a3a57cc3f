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
  default = "wh"
}

variable "kafka_bootstrap_servers" {
  description = "Null means the local cloud's token (target local only)."
  type        = string
  default     = null
}

variable "java_tool_options" {
  description = "JVM options of the webhooks functions; the tests point name resolution at a hosts file of theirs."
  type        = string
  default     = ""
}

variable "delivery_schedule" {
  description = "Shortened for tests: four attempts with growing gaps, so a message to a dead receiver gives up about 10 s after it was published. ReceiverOutageIT passes a schedule that carries a 2-minute outage."
  type        = string
  default     = "0s,1s,3s,6s"
}

variable "breaker_threshold" {
  description = "Failures in a row that open an endpoint's circuit breaker (per deliverer instance); low, so that the breaker tests trip it with few messages."
  type        = number
  default     = 3
}

variable "breaker_open" {
  description = "How long an open breaker defers an endpoint's messages before one probe; short, so that the breaker tests stay quick."
  type        = string
  default     = "5s"
}
