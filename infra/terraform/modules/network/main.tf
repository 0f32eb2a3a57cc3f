# The stack's private network on AWS: private subnets over at least two zones (created, or an existing VPC's),
# security groups per role, and VPC endpoints for every AWS service the functions inside call, so that nothing
# needs a NAT gateway (there is none, and the private route tables have no route out).
#
# Only the functions that talk to Redis (ElastiCache) or Kafka (MSK) run in these subnets; the others stay outside
# the VPC and keep Lambda's own internet access (webhook deliveries and HTTP job targets need it).

data "aws_availability_zones" "available" {
  count = var.create && var.availability_zones == null ? 1 : 0
  state = "available"
}

locals {
  zones           = var.create ? (var.availability_zones != null ? var.availability_zones : slice(data.aws_availability_zones.available[0].names, 0, min(2, length(data.aws_availability_zones.available[0].names)))) : []
  vpc_id          = var.create ? aws_vpc.this[0].id : var.existing_vpc_id
  subnet_ids      = var.create ? [for s in aws_subnet.private : s.id] : var.subnet_ids
  route_table_ids = var.create ? [aws_route_table.private[0].id] : distinct([for rt in data.aws_route_table.existing : rt.id])
}

# --- a created VPC: private subnets, one route table without routes out ----------------------------------------

resource "aws_vpc" "this" {
  count = var.create ? 1 : 0

  cidr_block = var.cidr
  # Interface endpoints with private DNS answer for the services' public names only with both on.
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "${var.name}-vpc" }

  lifecycle {
    precondition {
      condition     = var.existing_vpc_id == null && length(var.subnet_ids) == 0
      error_message = "network: give either create = true (a new VPC) or existing_vpc_id and subnet_ids, not both."
    }
    precondition {
      condition     = length(local.zones) >= 2
      error_message = "network: the private subnets need at least two availability zones."
    }
  }
}

resource "aws_subnet" "private" {
  count = length(local.zones)

  vpc_id            = aws_vpc.this[0].id
  availability_zone = local.zones[count.index]
  cidr_block        = cidrsubnet(var.cidr, 4, count.index)
  tags              = { Name = "${var.name}-private-${local.zones[count.index]}" }
}

resource "aws_route_table" "private" {
  count = var.create ? 1 : 0

  vpc_id = aws_vpc.this[0].id
  # No route out of the VPC (no internet or NAT gateway): the gateway endpoints add their own prefix-list routes.
  route = []
  tags  = { Name = "${var.name}-private" }
}

resource "aws_route_table_association" "private" {
  count = length(local.zones)

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[0].id
}

# --- an existing VPC: its subnets' route tables get the gateway endpoints -------------------------------------

data "aws_route_table" "existing" {
  for_each = var.create || !var.create_endpoints ? toset([]) : toset(var.subnet_ids)

  subnet_id = each.value
}

# --- security groups: functions reach Redis, Kafka and the endpoints, nothing else inside the VPC ---------------

resource "aws_security_group" "functions" {
  name        = "${var.name}-functions"
  description = "Lambda functions that talk to Redis or Kafka"
  vpc_id      = local.vpc_id

  lifecycle {
    precondition {
      condition     = var.create || (var.existing_vpc_id != null && length(var.subnet_ids) >= 2)
      error_message = "network: an existing VPC needs existing_vpc_id and at least two private subnet_ids (in different zones)."
    }
  }
}

resource "aws_security_group" "redis" {
  name        = "${var.name}-redis"
  description = "ElastiCache: port 6379 from the functions only"
  vpc_id      = local.vpc_id
}

resource "aws_security_group" "kafka" {
  name        = "${var.name}-kafka"
  description = "MSK (IAM auth, port 9098) from the functions and from Lambda's event pollers"
  vpc_id      = local.vpc_id
}

resource "aws_security_group" "endpoints" {
  name        = "${var.name}-endpoints"
  description = "Interface endpoints: HTTPS from the functions and from Lambda's event pollers"
  vpc_id      = local.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_functions" {
  security_group_id            = aws_security_group.redis.id
  description                  = "Redis (TLS) from the functions"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_security_group.functions.id
}

resource "aws_vpc_security_group_ingress_rule" "kafka_from_functions" {
  security_group_id            = aws_security_group.kafka.id
  description                  = "Kafka SASL/IAM from the functions"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.functions.id
}

# Lambda's event pollers of an MSK mapping run with the cluster's own security group in its subnets.
resource "aws_vpc_security_group_ingress_rule" "kafka_from_pollers" {
  security_group_id            = aws_security_group.kafka.id
  description                  = "Kafka SASL/IAM from Lambda's event pollers (cluster security group)"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.kafka.id
}

resource "aws_vpc_security_group_ingress_rule" "endpoints" {
  for_each = {
    functions = aws_security_group.functions.id
    pollers   = aws_security_group.kafka.id
  }

  security_group_id            = aws_security_group.endpoints.id
  description                  = "HTTPS to AWS services from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = each.value
}

# What the functions may open: Redis, Kafka, the interface endpoints (in an existing VPC that keeps its own
# endpoints: any HTTPS address, which its endpoints or NAT answer), and DynamoDB and S3 by the services' prefix
# lists (their gateway endpoints).
data "aws_prefix_list" "gateway" {
  for_each = toset(["dynamodb", "s3"])

  name = "com.amazonaws.${var.region}.${each.key}"
}

resource "aws_vpc_security_group_egress_rule" "functions" {
  for_each = {
    redis     = { port = 6379, group = aws_security_group.redis.id, prefix_list = null, cidr = null }
    kafka     = { port = 9098, group = aws_security_group.kafka.id, prefix_list = null, cidr = null }
    endpoints = { port = 443, group = var.create_endpoints ? aws_security_group.endpoints.id : null, prefix_list = null, cidr = var.create_endpoints ? null : "0.0.0.0/0" }
    dynamodb  = { port = 443, group = null, prefix_list = data.aws_prefix_list.gateway["dynamodb"].id, cidr = null }
    s3        = { port = 443, group = null, prefix_list = data.aws_prefix_list.gateway["s3"].id, cidr = null }
  }

  security_group_id            = aws_security_group.functions.id
  description                  = "to ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.group
  prefix_list_id               = each.value.prefix_list
  cidr_ipv4                    = each.value.cidr
}

resource "aws_vpc_security_group_egress_rule" "pollers" {
  for_each = {
    kafka     = { port = 9098, group = aws_security_group.kafka.id, cidr = null }
    endpoints = { port = 443, group = var.create_endpoints ? aws_security_group.endpoints.id : null, cidr = var.create_endpoints ? null : "0.0.0.0/0" }
  }

  security_group_id            = aws_security_group.kafka.id
  description                  = "Lambda's event pollers to ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.group
  cidr_ipv4                    = each.value.cidr
}

# --- endpoints: the AWS APIs the functions call, without a NAT gateway ------------------------------------------

resource "aws_vpc_endpoint" "gateway" {
  for_each = var.create_endpoints ? toset(["dynamodb", "s3"]) : toset([])

  vpc_id            = local.vpc_id
  service_name      = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = local.route_table_ids
  tags              = { Name = "${var.name}-${each.key}" }
}

resource "aws_vpc_endpoint" "interface" {
  for_each = var.create_endpoints ? toset(var.interface_endpoints) : toset([])

  vpc_id              = local.vpc_id
  service_name        = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = local.subnet_ids
  security_group_ids  = [aws_security_group.endpoints.id]
  tags                = { Name = "${var.name}-${each.key}" }
}
