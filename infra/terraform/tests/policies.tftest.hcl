# Offline audit of what every function of the root stack may do (terraform test with a mocked AWS provider, so
# computed ARNs get values and every policy document is complete). check.sh runs it.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  target                  = "aws"
  redis_url               = "rediss://cache.internal:6379"
  kafka_bootstrap_servers = "kafka.internal:9098"
  # Deployment secrets: target aws has no defaults for them.
  shortener_code_key       = "7345912387412398741"
  shortener_visitor_secret = "test-only-visitor-secret-0123456789abcdef"
}

# A role that can invoke any function, or send to any queue or topic, of the account can forge the stack's own
# events (an api-keys import, a "verified" inbound webhook, an S3 event): such grants must name their targets.
run "no_wildcard_invoke_send_or_publish" {
  command = apply

  assert {
    condition = length(flatten([for name, doc in output.function_policies : [
      for s in jsondecode(doc).Statement : name
      if length(setintersection(toset(flatten([s.Action])), ["lambda:InvokeFunction", "lambda:InvokeAsync", "sqs:SendMessage", "sns:Publish", "kafka-cluster:WriteData"])) > 0
      && anytrue([for r in flatten([s.Resource]) : strcontains(r, "*")])
    ]])) == 0
    error_message = "These functions may invoke, send or publish to a wildcard: ${join(", ", distinct(flatten([for name, doc in output.function_policies : [for s in jsondecode(doc).Statement : name if length(setintersection(toset(flatten([s.Action])), ["lambda:InvokeFunction", "lambda:InvokeAsync", "sqs:SendMessage", "sns:Publish", "kafka-cluster:WriteData"])) > 0 && anytrue([for r in flatten([s.Resource]) : strcontains(r, "*")])]])))}."
  }

  # The api-keys admin command is an operator tool: no function of the stack may invoke it.
  assert {
    condition = length(flatten([for name, doc in output.function_policies : [
      for s in jsondecode(doc).Statement : name
      if contains(flatten([s.Action]), "lambda:InvokeFunction") && anytrue([for r in flatten([s.Resource]) : strcontains(r, ":function:blocks-api-keys")])
    ]])) == 0
    error_message = "A function of the stack may invoke the api-keys admin command."
  }
}

# With a customer-managed key on the uploads bucket, each role that touches the bucket can use exactly that key,
# for data keys only, and no role outside uploads gets it.
run "uploads_roles_get_exactly_the_bucket_key" {
  command = apply

  variables {
    uploads_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  }

  assert {
    condition = alltrue([for name in ["blocks-uploads-api", "blocks-uploads-events", "blocks-uploads-reconciler"] :
      length([for s in jsondecode(output.function_policies[name]).Statement : s
        if toset(flatten([s.Resource])) == toset([var.uploads_kms_key_arn])
    && toset(flatten([s.Action])) == toset(["kms:GenerateDataKey", "kms:Decrypt"])]) == 1])
    error_message = "Every uploads role needs one statement granting kms:GenerateDataKey and kms:Decrypt on the bucket key."
  }

  assert {
    condition = length(flatten([for name, doc in output.function_policies : [
      for s in jsondecode(doc).Statement : name
      if contains(flatten([s.Resource]), var.uploads_kms_key_arn) && !startswith(name, "blocks-uploads-")
    ]])) == 0
    error_message = "Only the uploads roles may use the uploads bucket key."
  }
}

# Jobs reach only what the operator lists (modules/scheduler/tests refuses this stack's own functions, queues and
# topics in those lists at plan time); what is listed is granted exactly, by ARN.
run "listed_targets_are_granted_exactly" {
  command = apply

  variables {
    allowed_function_targets = ["billing-nightly"]
    allowed_queue_targets    = ["billing-jobs"]
  }

  assert {
    condition = length([for s in jsondecode(output.function_policies["blocks-jobs-worker"]).Statement : s
      if contains(flatten([s.Action]), "lambda:InvokeFunction")
    && toset(flatten([s.Resource])) == toset(["arn:aws:lambda:us-east-1:123456789012:function:billing-nightly"])]) == 1
    error_message = "jobs-worker must be able to invoke exactly the listed function."
  }
}

# Wildcards only where AWS has no resource-level permissions, each listed here with why; every other statement of
# every role, the stack's MSK and ElastiCache included, names its resources. The network run uses the stack's own
# Redis and Kafka, so every grant of target aws is in view.
run "no_wildcard_resource_but_where_aws_requires_it" {
  command = apply
  variables {
    redis_url               = null
    kafka_bootstrap_servers = null
  }

  assert {
    condition = length(flatten([for name, doc in output.function_policies : [
      for s in jsondecode(doc).Statement : name
      if anytrue([for r in flatten([s.Resource]) : r == "*"]) && length(setsubtract(toset(flatten([s.Action])), [
        # X-Ray: no resource-level permissions.
        "xray:PutTraceSegments", "xray:PutTelemetryRecords",
        # Lambda's network interfaces of a function in a VPC, and the MSK pollers' look-ups: EC2 has none either.
        "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "ec2:DescribeVpcs", "ec2:DescribeSecurityGroups",
      ])) > 0
    ]])) == 0
    error_message = "Only X-Ray and EC2 network-interface actions may have Resource \"*\": ${join(", ", distinct(flatten([for name, doc in output.function_policies : [for s in jsondecode(doc).Statement : name if anytrue([for r in flatten([s.Resource]) : r == "*"])]])))}."
  }
  assert {
    condition     = alltrue([for name, doc in output.function_policies : alltrue([for s in jsondecode(doc).Statement : alltrue([for a in flatten([s.Action]) : !strcontains(a, "*")])])])
    error_message = "No statement may name actions with a wildcard."
  }
}
