# Offline checks of target aws (terraform test with a mocked AWS provider, plans only): network, Redis and Kafka,
# packages, topics, what operators watch and data at rest. check.sh runs it. The mocks give computed values during plan (override_during) so that policies and ARNs built
# from the MSK cluster's ARN are complete.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

variables {
  target = "aws"
  # Deployment secrets: target aws has no defaults for them.
  shortener_code_key       = "7345912387412398741"
  shortener_visitor_secret = "test-only-visitor-secret-0123456789abcdef"
}

# The stack creates ElastiCache and MSK (no redis_url, no kafka_bootstrap_servers). A role is in the VPC exactly
# when modules/function got a vpc: the same input sets vpc_config and the network-interface statement, so the
# policies tell which roles run in the private subnets (run "function_in_vpc" below checks that link).
run "redis_and_kafka_roles_and_only_they_run_in_the_vpc" {
  command = plan

  assert {
    condition = toset([for name, doc in output.function_policies : name
      if anytrue([for s in jsondecode(doc).Statement : contains(flatten([s.Action]), "elasticache:Connect") || anytrue([for a in flatten([s.Action]) : startswith(a, "kafka-cluster:")])])
      ]) == toset([for name, doc in output.function_policies : name
      if anytrue([for s in jsondecode(doc).Statement : contains(flatten([s.Action]), "ec2:CreateNetworkInterface")])
    ])
    error_message = "The roles that may connect to Redis or Kafka must be exactly the roles in the VPC."
  }

  # Every role whose code talks to Redis (shortener, ratelimit-api) or Kafka (redirect, clicks, clicks-replay,
  # webhooks-in) — the roles whose environment carries QUARKUS_REDIS_HOSTS or Kafka servers on aws.
  assert {
    condition = toset([for name, doc in output.function_policies : name
      if anytrue([for s in jsondecode(doc).Statement : contains(flatten([s.Action]), "ec2:CreateNetworkInterface")])
    ]) == toset(["blocks-links-api", "blocks-redirect", "blocks-clicks", "blocks-clicks-replay", "blocks-ratelimit-api", "blocks-webhooks-in", "blocks-kafka-topics"])
    error_message = "Exactly the shortener's roles, ratelimit-api, webhooks-in and kafka-topics run in the VPC (the deliverer and jobs-worker need the internet)."
  }

  assert {
    condition     = length(output.network.subnet_ids) == 2 && output.network.vpc_id == "vpc-created"
    error_message = "A created network has two private subnets."
  }

  # Redis: IAM authentication on exactly the stack's cache and user, for the Redis roles only.
  assert {
    condition = alltrue([for name in ["blocks-links-api", "blocks-redirect", "blocks-clicks", "blocks-clicks-replay", "blocks-ratelimit-api"] :
      length([for s in jsondecode(output.function_policies[name]).Statement : s
        if toset(flatten([s.Action])) == toset(["elasticache:Connect"])
        && toset(flatten([s.Resource])) == toset(["arn:aws:elasticache:us-east-1:123456789012:serverlesscache:blocks-redis", "arn:aws:elasticache:us-east-1:123456789012:user:blocks-functions"])
    ]) == 1])
    error_message = "Every Redis role needs elasticache:Connect on the cache and the functions' user."
  }

  # Kafka: producers write exactly their topics; the clicks mapping reads its topic as its group.
  assert {
    condition = alltrue([for name in ["blocks-redirect", "blocks-clicks-replay"] :
      length([for s in jsondecode(output.function_policies[name]).Statement : s
        if contains(flatten([s.Action]), "kafka-cluster:WriteData")
        && toset(flatten([s.Resource])) == toset(["arn:aws:kafka:us-east-1:123456789012:topic/blocks-kafka/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f-s1/blocks-clicks"])
    ]) == 1])
    error_message = "redirect and clicks-replay must write exactly the clicks topic of the stack's cluster."
  }

  assert {
    condition = length([for s in jsondecode(output.function_policies["blocks-webhooks-in"]).Statement : s
      if contains(flatten([s.Action]), "kafka-cluster:WriteData")
      && toset(flatten([s.Resource])) == toset(["arn:aws:kafka:us-east-1:123456789012:topic/blocks-kafka/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f-s1/blocks-webhooks-inbound"])
    ]) == 1
    error_message = "webhooks-in must write exactly the inbound topic of the stack's cluster."
  }

  assert {
    condition = length([for s in jsondecode(output.function_policies["blocks-clicks"]).Statement : s
      if toset(flatten([s.Action])) == toset(["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"])
      && toset(flatten([s.Resource])) == toset(["arn:aws:kafka:us-east-1:123456789012:group/blocks-kafka/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f-s1/blocks-clicks"])
    ]) == 1
    error_message = "The clicks mapping's role must own exactly its consumer group."
  }

  # No kafka-cluster or elasticache grant names a wildcard.
  assert {
    condition = length(flatten([for name, doc in output.function_policies : [
      for s in jsondecode(doc).Statement : name
      if anytrue([for a in flatten([s.Action]) : startswith(a, "kafka-cluster:") || startswith(a, "elasticache:")])
      && anytrue([for r in flatten([s.Resource]) : strcontains(r, "*")])
    ]])) == 0
    error_message = "kafka-cluster and elasticache grants must name their cluster, topics, groups, cache and user."
  }

  assert {
    condition     = output.kafka_cluster_arn == "arn:aws:kafka:us-east-1:123456789012:cluster/blocks-kafka/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f-s1"
    error_message = "The stack creates its MSK cluster when no kafka_bootstrap_servers are given."
  }
}

# Given Redis and Kafka (an existing cluster) replace the stack's: no ElastiCache or MSK grant, no MSK cluster.
run "given_redis_and_kafka_are_used_as_they_are" {
  command = plan

  variables {
    redis_url               = "rediss://cache.internal:6379"
    kafka_bootstrap_servers = "kafka.internal:9092"
  }

  assert {
    condition     = output.kafka_cluster_arn == null
    error_message = "No MSK cluster when kafka_bootstrap_servers are given."
  }

  assert {
    condition = length(flatten([for name, doc in output.function_policies : [
      for s in jsondecode(doc).Statement : name
      if anytrue([for a in flatten([s.Action]) : startswith(a, "kafka-cluster:") || startswith(a, "elasticache:")])
    ]])) == 0
    error_message = "Given Redis and Kafka are reached without IAM grants."
  }
}

# jobs-worker stays outside the VPC, so it cannot publish to the stack's MSK: topic targets are refused at plan.
run "scheduler_topic_targets_need_a_reachable_kafka" {
  command = plan

  variables {
    allowed_topic_targets = ["billing-events"]
  }

  expect_failures = [aws_apigatewayv2_api.http]
}

# LocalStack still needs Redis and Kafka given (it has neither).
run "localstack_needs_redis_and_kafka" {
  command = plan

  variables {
    target = "localstack"
  }

  expect_failures = [aws_apigatewayv2_api.http]
}

run "existing_vpc_is_used_as_it_is" {
  command = plan

  variables {
    network = {
      create          = false
      existing_vpc_id = "vpc-0123456789abcdef0"
      subnet_ids      = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
    }
  }

  assert {
    condition     = output.network.vpc_id == "vpc-0123456789abcdef0" && output.network.subnet_ids == tolist(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"])
    error_message = "An existing VPC's subnets carry the functions."
  }
}

run "half_an_existing_vpc_is_refused" {
  command = plan

  variables {
    network = {
      create     = false
      subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
    }
  }

  expect_failures = [var.network]
}

# --- modules/network on its own ----------------------------------------------------------------------------------

run "network_has_private_subnets_endpoints_and_no_route_out" {
  command = plan

  module {
    source = "./modules/network"
  }

  variables {
    name   = "blocks"
    region = "us-east-1"
  }

  # Distinct ids, so that "only from the functions' group" can be told apart from "from any group".
  override_resource {
    target          = aws_security_group.functions
    override_during = plan
    values          = { id = "sg-functions" }
  }
  override_resource {
    target          = aws_security_group.redis
    override_during = plan
    values          = { id = "sg-redis" }
  }
  override_resource {
    target          = aws_security_group.kafka
    override_during = plan
    values          = { id = "sg-kafka" }
  }
  override_resource {
    target          = aws_security_group.endpoints
    override_during = plan
    values          = { id = "sg-endpoints" }
  }
  override_resource {
    target          = aws_route_table.private
    override_during = plan
    values          = { id = "rtb-private" }
  }

  assert {
    condition     = length(aws_vpc.this) == 1 && length(aws_subnet.private) == 2 && length(distinct([for s in aws_subnet.private : s.availability_zone])) == 2
    error_message = "A created VPC has private subnets in two zones."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.private : s.map_public_ip_on_launch != true])
    error_message = "Subnets are private."
  }

  # No NAT (nor internet) gateway: the private route table has no route at all besides the endpoints' own.
  assert {
    condition     = length(aws_route_table.private[0].route) == 0
    error_message = "The private route table must have no route out of the VPC."
  }

  assert {
    condition = alltrue([for svc in ["dynamodb", "s3"] :
      aws_vpc_endpoint.gateway[svc].vpc_endpoint_type == "Gateway"
      && aws_vpc_endpoint.gateway[svc].service_name == "com.amazonaws.us-east-1.${svc}"
    && toset(aws_vpc_endpoint.gateway[svc].route_table_ids) == toset(["rtb-private"])])
    error_message = "DynamoDB and S3 need gateway endpoints on the private route table."
  }

  assert {
    condition = alltrue([for svc in ["sqs", "kms", "lambda", "secretsmanager"] :
      aws_vpc_endpoint.interface[svc].vpc_endpoint_type == "Interface"
      && aws_vpc_endpoint.interface[svc].private_dns_enabled
      && aws_vpc_endpoint.interface[svc].service_name == "com.amazonaws.us-east-1.${svc}"
    && toset(aws_vpc_endpoint.interface[svc].security_group_ids) == toset(["sg-endpoints"])])
    error_message = "SQS, KMS, Lambda and Secrets Manager need interface endpoints with private DNS in the endpoints' group."
  }

  # Redis admits 6379 from the functions' group only: every ingress rule of the module that targets the Redis
  # group is that one.
  assert {
    condition = [for r in concat(
      [aws_vpc_security_group_ingress_rule.redis_from_functions, aws_vpc_security_group_ingress_rule.kafka_from_functions, aws_vpc_security_group_ingress_rule.kafka_from_pollers],
      values(aws_vpc_security_group_ingress_rule.endpoints),
      ) : format("%s %d-%d group=%s cidr=%s prefix_list=%s", r.ip_protocol, r.from_port, r.to_port,
      r.referenced_security_group_id == null ? "-" : r.referenced_security_group_id, r.cidr_ipv4 == null ? "-" : r.cidr_ipv4,
      r.prefix_list_id == null ? "-" : r.prefix_list_id)
    if r.security_group_id == "sg-redis"] == ["tcp 6379-6379 group=sg-functions cidr=- prefix_list=-"]
    error_message = "The Redis group must admit TCP 6379 from the functions' group and nothing else."
  }

  assert {
    condition = toset([for r in [aws_vpc_security_group_ingress_rule.kafka_from_functions, aws_vpc_security_group_ingress_rule.kafka_from_pollers] :
      "${r.security_group_id} ${r.ip_protocol} ${r.from_port}-${r.to_port} ${r.referenced_security_group_id}"
    ]) == toset(["sg-kafka tcp 9098-9098 sg-functions", "sg-kafka tcp 9098-9098 sg-kafka"])
    error_message = "The Kafka group must admit the IAM port 9098 from the functions and from its own pollers only."
  }

  assert {
    condition     = output.function_vpc.security_group_ids == ["sg-functions"] && length(output.function_vpc.subnet_ids) == 2
    error_message = "Functions run in the private subnets with the functions' group."
  }
}

run "network_in_an_existing_vpc_creates_no_vpc" {
  command = plan

  module {
    source = "./modules/network"
  }

  variables {
    name            = "blocks"
    region          = "us-east-1"
    create          = false
    existing_vpc_id = "vpc-0123456789abcdef0"
    subnet_ids      = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  }

  assert {
    condition     = length(aws_vpc.this) == 0 && length(aws_subnet.private) == 0 && length(aws_route_table.private) == 0
    error_message = "An existing VPC gets no VPC, subnets or route table of the module."
  }

  assert {
    condition     = output.vpc_id == "vpc-0123456789abcdef0" && output.subnet_ids == tolist(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"])
    error_message = "The given VPC and subnets are used."
  }

  assert {
    condition     = aws_security_group.redis.vpc_id == "vpc-0123456789abcdef0" && toset(aws_vpc_endpoint.gateway["dynamodb"].route_table_ids) == toset(["rtb-existing"])
    error_message = "Groups and gateway endpoints go into the existing VPC and its subnets' route tables."
  }
}

# --- the clicks mapping, on MSK and on a self-managed Kafka ----------------------------------------------------

run "clicks_mapping_reads_the_msk_cluster" {
  command = plan

  module {
    source = "./modules/shortener"
  }

  variables {
    platform = {
      target                  = "aws"
      prefix                  = "blocks"
      region                  = "us-east-1"
      partition               = "aws"
      account_id              = "123456789012"
      redis_url               = "rediss://cache.internal:6379"
      kafka_bootstrap_servers = "boot-abcd.c1.kafka-serverless.us-east-1.amazonaws.com:9098"
      api_id                  = "mockapi"
      api_execution_arn       = "arn:aws:execute-api:us-east-1:123456789012:mockapi"
    }
    artifact       = "missing/function.zip"
    api_keys_table = "blocks-api-keys"
    code_key       = "7345912387412398741"
    visitor_secret = "test-only-visitor-secret-0123456789abcdef"
    msk = {
      cluster_arn      = "arn:aws:kafka:us-east-1:123456789012:cluster/blocks-kafka/uuid-s1"
      topic_arn_prefix = "arn:aws:kafka:us-east-1:123456789012:topic/blocks-kafka/uuid-s1"
      group_arn_prefix = "arn:aws:kafka:us-east-1:123456789012:group/blocks-kafka/uuid-s1"
    }
  }

  assert {
    condition     = aws_lambda_event_source_mapping.clicks.event_source_arn == "arn:aws:kafka:us-east-1:123456789012:cluster/blocks-kafka/uuid-s1"
    error_message = "On MSK the clicks mapping's event source is the cluster."
  }

  assert {
    condition = (length(aws_lambda_event_source_mapping.clicks.self_managed_event_source) == 0
      && length(aws_lambda_event_source_mapping.clicks.self_managed_kafka_event_source_config) == 0
    && aws_lambda_event_source_mapping.clicks.amazon_managed_kafka_event_source_config[0].consumer_group_id == "blocks-clicks")
    error_message = "On MSK the clicks mapping is an MSK mapping with the blocks-clicks group, not a self-managed one."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.clicks.topics == toset(["blocks-clicks"])
    error_message = "The clicks mapping reads the clicks topic."
  }
}

run "clicks_mapping_reads_a_self_managed_kafka_elsewhere" {
  command = plan

  module {
    source = "./modules/shortener"
  }

  variables {
    platform = {
      target                  = "localstack"
      prefix                  = "blocks"
      region                  = "us-east-1"
      partition               = "aws"
      account_id              = "000000000000"
      redis_url               = "redis://localhost:6379"
      kafka_bootstrap_servers = "localhost:9092"
      api_id                  = "mockapi"
      api_execution_arn       = "arn:aws:execute-api:us-east-1:000000000000:mockapi"
    }
    artifact       = "missing/function.zip"
    api_keys_table = "blocks-api-keys"
    code_key       = "7345912387412398741"
    visitor_secret = "test-only-visitor-secret-0123456789abcdef"
  }

  assert {
    condition = (aws_lambda_event_source_mapping.clicks.event_source_arn == null
      && aws_lambda_event_source_mapping.clicks.self_managed_event_source[0].endpoints == tomap({ KAFKA_BOOTSTRAP_SERVERS = "localhost:9092" })
    && length(aws_lambda_event_source_mapping.clicks.amazon_managed_kafka_event_source_config) == 0)
    error_message = "Without MSK the clicks mapping stays self-managed at the platform's servers."
  }
}

# --- modules/function: the vpc input is what puts a function in the subnets ----------------------------------

run "function_in_vpc" {
  command = plan

  module {
    source = "./modules/function"
  }

  variables {
    platform = { region = "us-east-1", partition = "aws", account_id = "123456789012" }
    name     = "blocks-probe"
    artifact = "missing/function.zip"
    vpc = {
      subnet_ids         = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
      security_group_ids = ["sg-functions"]
      grants             = [{ actions = ["elasticache:Connect"], resources = ["arn:aws:elasticache:us-east-1:123456789012:serverlesscache:blocks-redis"] }]
    }
  }

  assert {
    condition = (toset(aws_lambda_function.this.vpc_config[0].subnet_ids) == toset(var.vpc.subnet_ids)
    && toset(aws_lambda_function.this.vpc_config[0].security_group_ids) == toset(["sg-functions"]))
    error_message = "A function given a vpc runs in its subnets with its groups."
  }

  assert {
    condition = (length([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s if contains(flatten([s.Action]), "ec2:CreateNetworkInterface")]) == 1
    && length([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s if contains(flatten([s.Action]), "elasticache:Connect")]) == 1)
    error_message = "A function in a vpc may manage its network interfaces and gets the vpc's grants."
  }
}

run "function_outside_vpc" {
  command = plan

  module {
    source = "./modules/function"
  }

  variables {
    platform = { region = "us-east-1", partition = "aws", account_id = "123456789012" }
    name     = "blocks-probe"
    artifact = "missing/function.zip"
  }

  assert {
    condition = (length(aws_lambda_function.this.vpc_config) == 0
    && length([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s if contains(flatten([s.Action]), "ec2:CreateNetworkInterface")]) == 0)
    error_message = "A function without a vpc has neither vpc_config nor network-interface actions."
  }
}

# --- packages through S3 --------------------------------------------------------------------------------------
# Lambda refuses a direct upload over 50 MB, and three JVM packages are over it.
run "every_artifact_is_uploaded_to_a_private_tls_only_bucket" {
  command = plan

  assert {
    condition     = toset(keys(aws_s3_object.artifact)) == toset(["uploads", "shortener", "scheduler", "webhooks", "ratelimit"])
    error_message = "each of the five artifacts must be uploaded"
  }
  assert {
    condition     = alltrue([for capability, o in aws_s3_object.artifact : o.source == local.artifact_paths[capability] && startswith(o.key, "${capability}/")])
    error_message = "each object must hold its capability's artifact, under the capability's name"
  }
  # The objects are found by the artifact paths the modules are given (main.tf passes local.artifact_paths).
  assert {
    condition     = toset(keys(local.artifact_objects)) == toset(values(local.artifact_paths))
    error_message = "modules/function looks objects up by artifact path: every path must have its object"
  }
  assert {
    condition = (aws_s3_bucket_public_access_block.artifacts[0].block_public_acls && aws_s3_bucket_public_access_block.artifacts[0].block_public_policy
    && aws_s3_bucket_public_access_block.artifacts[0].ignore_public_acls && aws_s3_bucket_public_access_block.artifacts[0].restrict_public_buckets)
    error_message = "the artifacts bucket must block every kind of public access"
  }
  assert {
    condition     = jsondecode(aws_s3_bucket_policy.artifacts[0].policy).Statement[0].Effect == "Deny" && jsondecode(aws_s3_bucket_policy.artifacts[0].policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false"
    error_message = "the artifacts bucket must refuse requests without TLS"
  }
}

run "local_and_localstack_read_the_files" {
  command = plan
  variables {
    target                  = "localstack"
    redis_url               = "redis://localhost:6379"
    kafka_bootstrap_servers = "localhost:9092"
  }
  assert {
    condition     = length(aws_s3_object.artifact) == 0 && length(aws_s3_bucket.artifacts) == 0 && length(local.artifact_objects) == 0
    error_message = "only target aws uploads packages to S3"
  }
}

# --- Kafka topics on apply ------------------------------------------------------------------------------------
run "kafka_topics_creates_every_topic_of_the_stack_with_only_the_grants_it_needs" {
  command = plan

  assert {
    condition     = jsondecode(aws_lambda_invocation.kafka_topics[0].input).topics == [for topic in output.kafka_topics : { name = topic, partitions = 3 }] && contains(output.kafka_topics, "blocks-clicks")
    error_message = "kafka-topics must be invoked with every topic of the stack, the click stream included"
  }
  assert {
    condition     = aws_lambda_invocation.kafka_topics[0].function_name == "blocks-kafka-topics" && aws_lambda_invocation.kafka_topics[0].qualifier == "live"
    error_message = "the invocation must call the kafka-topics function's live alias"
  }
  assert {
    condition     = toset(flatten([for s in jsondecode(output.function_policies["blocks-kafka-topics"]).Statement : s.Action if anytrue([for a in flatten([s.Action]) : startswith(a, "kafka")])])) == toset(["kafka-cluster:Connect", "kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic"])
    error_message = "kafka-topics may connect and create and describe topics, nothing else on the cluster"
  }
  assert {
    condition = flatten([for s in jsondecode(output.function_policies["blocks-kafka-topics"]).Statement : s.Resource if contains(flatten([s.Action]), "kafka-cluster:CreateTopic")]) == [
    for topic in output.kafka_topics : "arn:aws:kafka:us-east-1:123456789012:topic/blocks-kafka/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f-s1/${topic}"]
    error_message = "kafka-topics may create exactly the stack's topics"
  }
  assert {
    condition     = contains(flatten([for s in jsondecode(output.function_policies["blocks-kafka-topics"]).Statement : s.Action]), "ec2:CreateNetworkInterface")
    error_message = "kafka-topics must run in the functions' subnets, where MSK is reachable"
  }
}

run "a_given_kafka_has_its_topics_made_by_its_operators" {
  command = plan
  variables {
    kafka_bootstrap_servers = "kafka.internal:9092"
  }
  assert {
    condition     = length(aws_lambda_invocation.kafka_topics) == 0 && length(module.kafka_topics) == 0
    error_message = "a Kafka the stack did not create gets no kafka-topics function"
  }
}

# --- what an operator watches ---------------------------------------------------------------------------------

run "one_dashboard_shows_every_function_and_every_dead_letter_queue" {
  command = plan

  assert {
    condition     = aws_cloudwatch_dashboard.deployment[0].dashboard_name == "blocks"
    error_message = "the deployment's dashboard is named by its prefix"
  }
  # Every function of the stack (the policies output names them all) has its Lambda metrics on the dashboard.
  assert {
    condition = alltrue([for name in keys(output.function_policies) : anytrue([for widget in jsondecode(aws_cloudwatch_dashboard.deployment[0].dashboard_body).widgets :
    contains([for metric in try(widget.properties.metrics, []) : try(metric[3], "")], name) if strcontains(widget.properties.title, "invocations")])])
    error_message = "every function must have its invocations, errors and throttles on the dashboard"
  }
  assert {
    condition = toset([for metric in one([for widget in jsondecode(aws_cloudwatch_dashboard.deployment[0].dashboard_body).widgets : widget.properties.metrics if strcontains(widget.properties.title, "dead-letter")]) : metric[3]]) == toset(
    ["blocks-clicks-failed", "blocks-clicks-spool-dlq", "blocks-uploads-events-dlq", "blocks-jobs-runs-dlq", "blocks-webhooks-delivery-dlq", "blocks-webhooks-inbound-dlq"])
    error_message = "every dead-letter queue must be on the dashboard"
  }
  assert {
    condition     = alltrue([for widget in jsondecode(aws_cloudwatch_dashboard.deployment[0].dashboard_body).widgets : alltrue([for metric in widget.properties.metrics : metric[0] == "blocks" if !startswith(metric[0], "AWS/")])])
    error_message = "the capabilities' own metrics are read from the deployment's namespace (its prefix)"
  }
}

run "lateness_failure_rate_and_fail_open_alarm" {
  command = plan
  variables {
    alarm_actions = ["arn:aws:sns:us-east-1:123456789012:ops"]
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.scheduler_lateness.extended_statistic == "p99" && aws_cloudwatch_metric_alarm.scheduler_lateness.threshold == 2000 && aws_cloudwatch_metric_alarm.scheduler_lateness.namespace == "blocks"
    error_message = "the scheduler's lateness alarm watches p99 against scheduler_lateness_alarm_ms"
  }
  assert {
    condition     = one([for q in aws_cloudwatch_metric_alarm.webhook_failures.metric_query : q.expression if q.return_data == true]) == "IF(attempts >= 20, 100 * failed / attempts, 0)" && aws_cloudwatch_metric_alarm.webhook_failures.threshold == 50
    error_message = "the webhook alarm watches the share of failed attempts"
  }
  assert {
    condition = alltrue([for alarm in [aws_cloudwatch_metric_alarm.scheduler_lateness, aws_cloudwatch_metric_alarm.webhook_failures, aws_cloudwatch_metric_alarm.limiter_fail_open] :
    alarm.alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:ops"])])
    error_message = "the alarms notify alarm_actions"
  }
}

run "local_has_no_dashboard" {
  command = plan
  variables {
    target = "local"
  }
  assert {
    condition     = length(aws_cloudwatch_dashboard.deployment) == 0
    error_message = "only target aws gets a dashboard (the local cloud collects no metrics)"
  }
}

# --- data at rest ---------------------------------------------------------------------------------------------

run "the_tables_key_is_the_stacks_own_rotated_key" {
  command = plan
  assert {
    condition     = module.data_key[0].alias_name == "alias/blocks-data" && local.platform.data_key_arn == module.data_key[0].arn
    error_message = "target aws encrypts its tables with the stack's own key, handed to every module as platform.data_key_arn"
  }
}

run "off_aws_the_tables_keep_the_services_key" {
  command = plan
  variables {
    target = "local"
  }
  assert {
    condition     = length(module.data_key) == 0 && local.platform.data_key_arn == null
    error_message = "targets local and localstack create no key for the tables"
  }
}

run "every_table_has_point_in_time_recovery_and_the_stacks_key" {
  command = plan
  assert {
    condition     = length(output.audit.tables) == 10
    error_message = "the audit must see all ten tables of the stack"
  }
  assert {
    condition     = alltrue([for name, t in output.audit.tables : t.point_in_time_recovery && t.kms_key_arn == module.data_key[0].arn])
    error_message = "Tables without point-in-time recovery or the stack's key: ${join(", ", [for name, t in output.audit.tables : name if !(t.point_in_time_recovery && t.kms_key_arn == module.data_key[0].arn)])}."
  }
}

# A queue either receives dead letters (a redrive target, a mapping's failure destination) and is watched by an alarm,
# or has a dead-letter queue of its own that is one of the stack's queues.
run "every_queue_has_a_dead_letter_queue_and_every_dead_letter_queue_an_alarm" {
  command = plan
  assert {
    condition = alltrue([for name, dlq in output.audit.queues : contains(keys(output.audit.queues), dlq)
    if dlq != null]) && alltrue([for name, dlq in output.audit.queues : dlq != null || contains(concat(values(output.audit.queues), output.audit.dead_letter_destinations), name)])
    error_message = "Queues without a dead-letter queue of the stack: ${join(", ", [for name, dlq in output.audit.queues : name if dlq == null && !contains(concat(values(output.audit.queues), output.audit.dead_letter_destinations), name)])}."
  }
  assert {
    condition     = alltrue([for name in distinct(concat(compact(values(output.audit.queues)), output.audit.dead_letter_destinations)) : contains(output.audit.alarmed_queues, name)])
    error_message = "Dead-letter queues no alarm watches: ${join(", ", [for name in distinct(concat(compact(values(output.audit.queues)), output.audit.dead_letter_destinations)) : name if !contains(output.audit.alarmed_queues, name)])}."
  }
  assert {
    condition     = length(output.audit.queues) == 11 && length(output.audit.dead_letter_destinations) == 1
    error_message = "the audit must see all eleven queues and the clicks mapping's failure destination"
  }
}

run "the_uploads_bucket_blocks_public_access_and_refuses_plain_http" {
  command = plan
  assert {
    condition     = module.uploads.audit.buckets["blocks-uploads-123456789012-us-east-1"].public_access_blocked && module.uploads.audit.buckets["blocks-uploads-123456789012-us-east-1"].tls_only
    error_message = "the uploads bucket must block every kind of public access and deny requests without TLS"
  }
}
