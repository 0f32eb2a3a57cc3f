# The whole stack on AWS inside a VPC that already exists: no VPC, subnets or route tables are created; the
# functions that talk to Redis or Kafka, the ElastiCache Serverless cache and the MSK Serverless cluster go into the
# given private subnets, with the stack's security groups and VPC endpoints (there is no NAT gateway).
#
# The repository's root stack is called as a module; it configures its own provider, so this configuration has
# none and the call has no count, for_each or depends_on.

module "blocks" {
  source = "../.."

  target = "aws"
  region = var.region

  artifacts_root = "${path.root}/../../../.."

  network = {
    create          = false
    existing_vpc_id = var.vpc_id
    subnet_ids      = var.subnet_ids
  }

  shortener_code_key       = var.shortener_code_key
  shortener_visitor_secret = var.shortener_visitor_secret
}
