# Offline proof of this example (terraform test, mocked AWS provider, plans only): in an existing VPC the stack
# creates no VPC, subnets or route tables, and every function that runs in the VPC uses exactly the given subnets.
#
# Why the runs plan infra/terraform itself rather than main.tf: a mock_provider replaces only the provider
# configurations of the configuration under test. The stack configures its own provider (providers.tf), which its
# caller cannot replace, so planning main.tf would need AWS credentials. The first run therefore plans the stack
# with the arguments main.tf passes, and because assertions see only the planned configuration's own resources
# and outputs, the next runs follow the given subnets through the two modules that place functions:
# modules/network (what the stack hands every VPC function) and modules/function (what sets vpc_config).

mock_provider "aws" {
  source          = "../../tests/mocks"
  override_during = plan
}

# This example's inputs (variables.tf).
variables {
  region                   = "us-east-1"
  vpc_id                   = "vpc-0123456789abcdef0"
  subnet_ids               = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  shortener_code_key       = "7345912387412398741"
  shortener_visitor_secret = "test-only-visitor-secret-0123456789abcdef"
}

# The stack, called as main.tf calls it.
run "stack_uses_the_existing_vpc" {
  command = plan

  module {
    source = "../.."
  }

  variables {
    target = "aws"
    network = {
      create          = false
      existing_vpc_id = var.vpc_id
      subnet_ids      = var.subnet_ids
    }
  }

  # A created VPC would carry the mock's id "vpc-created", created subnets ids unknown at plan.
  assert {
    condition     = output.network.vpc_id == var.vpc_id && output.network.subnet_ids == tolist(var.subnet_ids)
    error_message = "The stack must use the given VPC and exactly the given subnets."
  }

  # The roles that get Lambda's network-interface actions are the roles modules/function put in the VPC: in an
  # existing VPC too, they are exactly the roles that may connect to Redis or Kafka (which roles those are is
  # infra/terraform/tests/aws.tftest.hcl's business), and there are some.
  assert {
    condition = length([for name, doc in output.function_policies : name
      if anytrue([for s in jsondecode(doc).Statement : contains(flatten([s.Action]), "ec2:CreateNetworkInterface")])
      ]) > 0 && toset([for name, doc in output.function_policies : name
      if anytrue([for s in jsondecode(doc).Statement : contains(flatten([s.Action]), "ec2:CreateNetworkInterface")])
      ]) == toset([for name, doc in output.function_policies : name
      if anytrue([for s in jsondecode(doc).Statement : contains(flatten([s.Action]), "elasticache:Connect") || anytrue([for a in flatten([s.Action]) : startswith(a, "kafka-cluster:")])])
    ])
    error_message = "In the existing VPC run exactly the roles that may connect to Redis or Kafka."
  }

  assert {
    condition     = output.kafka_cluster_arn != null
    error_message = "MSK Serverless is still created (in the given subnets) when the VPC exists."
  }
}

# modules/network with the values the stack passes it for this example (network.tf: module "network").
run "network_creates_no_vpc_subnets_or_routes" {
  command = plan

  module {
    source = "../../modules/network"
  }

  variables {
    name            = "blocks"
    create          = false
    existing_vpc_id = var.vpc_id
    subnet_ids      = var.subnet_ids
  }

  assert {
    condition     = length(aws_vpc.this) == 0 && length(aws_subnet.private) == 0 && length(aws_route_table.private) == 0 && length(aws_route_table_association.private) == 0
    error_message = "An existing VPC gets no VPC, subnet, route table or route table association."
  }

  assert {
    condition     = output.function_vpc.subnet_ids == tolist(var.subnet_ids) && output.subnet_ids == tolist(var.subnet_ids)
    error_message = "Functions, the cache and the cluster are given exactly the existing subnets."
  }

  assert {
    condition = alltrue([for g in [aws_security_group.functions, aws_security_group.redis, aws_security_group.kafka, aws_security_group.endpoints] :
    g.vpc_id == var.vpc_id])
    error_message = "The stack's security groups go into the existing VPC."
  }
}

# modules/function given what the network hands the Redis roles (function_vpc plus the elasticache:Connect grant).
run "function_uses_exactly_the_given_subnets" {
  command = plan

  module {
    source = "../../modules/function"
  }

  variables {
    platform = { region = var.region, partition = "aws", account_id = "123456789012" }
    name     = "blocks-links-api"
    artifact = "missing/function.zip"
    vpc      = merge(run.network_creates_no_vpc_subnets_or_routes.function_vpc, { grants = [] })
  }

  assert {
    condition     = toset(aws_lambda_function.this.vpc_config[0].subnet_ids) == toset(var.subnet_ids) && length(aws_lambda_function.this.vpc_config[0].subnet_ids) == length(var.subnet_ids)
    error_message = "A function in the VPC runs in exactly the given subnets."
  }

  assert {
    condition     = toset(aws_lambda_function.this.vpc_config[0].security_group_ids) == toset(run.network_creates_no_vpc_subnets_or_routes.function_vpc.security_group_ids)
    error_message = "A function in the VPC runs with the functions' security group only."
  }
}
