variable "name" {
  description = "Prefix of every name the module gives (the stack's prefix): <name>-vpc, <name>-functions, <name>-redis, ..."
  type        = string
}

variable "region" {
  description = "Region of the endpoints' service names (com.amazonaws.<region>.<service>)."
  type        = string
}

variable "create" {
  description = "true: create a VPC with private subnets. false: use existing_vpc_id and subnet_ids."
  type        = bool
  default     = true
}

variable "cidr" {
  description = "CIDR block of a created VPC; each private subnet gets a /20 of it (cidrsubnet(cidr, 4, i))."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && try(tonumber(split("/", var.cidr)[1]) <= 24, false)
    error_message = "cidr must be an IPv4 CIDR block of /24 or larger."
  }
}

variable "availability_zones" {
  description = "Availability zones of the created private subnets (at least 2). Null: the first two the region offers."
  type        = list(string)
  default     = null

  validation {
    condition     = var.availability_zones == null || try(length(var.availability_zones) >= 2, false)
    error_message = "availability_zones must name at least two zones."
  }
}

variable "existing_vpc_id" {
  description = "VPC to use when create is false."
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Private subnets of existing_vpc_id (at least 2, in different zones) when create is false. Their route tables (each subnet needs an explicit association) get the gateway endpoints."
  type        = list(string)
  default     = []
}

variable "interface_endpoints" {
  description = "Services reached through interface endpoints (private DNS) instead of a NAT gateway: sqs, kms, lambda, secretsmanager, ssm, sts by default. CloudWatch Logs needs none: Lambda ships function logs itself."
  type        = list(string)
  default     = ["sqs", "kms", "lambda", "secretsmanager", "ssm", "sts"]
}

variable "create_endpoints" {
  description = "Create the gateway and interface endpoints. false when an existing VPC already has them (two interface endpoints with private DNS for one service cannot coexist)."
  type        = bool
  default     = true
}
