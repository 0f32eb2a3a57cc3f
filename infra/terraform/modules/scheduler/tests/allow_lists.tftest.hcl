# Offline checks of the scheduler's target allow-lists (terraform test with a mocked AWS provider, so computed
# ARNs get values and the policy documents are complete): nothing of this stack may be listed, no wildcards, and
# the worker's IAM grants exactly the listed targets. Run: terraform init && terraform test (in this module).

mock_provider "aws" {
  # The root stack's mocked answers (computed ARNs), shared by every module test.
  source = "../../tests/mocks"
}

variables {
  platform = {
    target            = "aws"
    prefix            = "blocks"
    region            = "us-east-1"
    partition         = "aws"
    account_id        = "123456789012"
    api_id            = "mockapi"
    api_execution_arn = "arn:aws:execute-api:us-east-1:123456789012:mockapi"
  }
  artifact       = "function.zip"
  api_keys_table = "blocks-api-keys"
}

run "the_api_keys_function_cannot_be_listed" {
  command = plan
  variables {
    allowed_function_targets = ["blocks-api-keys"]
  }
  expect_failures = [var.allowed_function_targets]
}

run "another_http_role_cannot_be_listed" {
  command = plan
  variables {
    allowed_function_targets = ["ext-reports", "blocks-jobs-api"]
  }
  expect_failures = [var.allowed_function_targets]
}

run "a_queue_of_the_stack_cannot_be_listed" {
  command = plan
  variables {
    allowed_queue_targets = ["blocks-jobs-runs"]
  }
  expect_failures = [var.allowed_queue_targets]
}

run "a_topic_of_the_stack_cannot_be_listed" {
  command = plan
  variables {
    allowed_topic_targets = ["blocks-webhooks-inbound"]
  }
  expect_failures = [var.allowed_topic_targets]
}

run "wildcards_and_arns_are_refused" {
  command = plan
  variables {
    allowed_function_targets = ["ext-*"]
    allowed_queue_targets    = ["arn:aws:sqs:us-east-1:123456789012:ext-work"]
    allowed_topic_targets    = ["ext-?"]
  }
  expect_failures = [var.allowed_function_targets, var.allowed_queue_targets, var.allowed_topic_targets]
}

run "empty_lists_grant_nothing" {
  command = apply

  assert {
    condition = length([for s in jsondecode(output.policies["blocks-jobs-worker"]).Statement : s
    if contains(flatten([s.Action]), "lambda:InvokeFunction")]) == 0
    error_message = "With no allowed functions the worker must not be able to invoke any."
  }
  assert {
    condition = flatten([for s in jsondecode(output.policies["blocks-jobs-worker"]).Statement : flatten([s.Resource])
      if contains(flatten([s.Action]), "sqs:SendMessage")]) == [
      "arn:aws:sqs:us-east-1:123456789012:blocks-jobs-runs",
      "arn:aws:sqs:us-east-1:123456789012:blocks-jobs-runs-dlq",
    ]
    error_message = "With no allowed queues the worker may send to its own run queue and DLQ only."
  }
}

run "the_worker_gets_exactly_the_listed_targets" {
  command = apply
  variables {
    allowed_function_targets = ["ext-reports"]
    allowed_queue_targets    = ["ext-work", "ext-orders.fifo"]
    allowed_topic_targets    = ["ext-events"]
  }

  assert {
    condition = flatten([for s in jsondecode(output.policies["blocks-jobs-worker"]).Statement : flatten([s.Resource])
    if contains(flatten([s.Action]), "lambda:InvokeFunction")]) == ["arn:aws:lambda:us-east-1:123456789012:function:ext-reports"]
    error_message = "The worker may invoke exactly the listed function."
  }
  assert {
    condition = flatten([for s in jsondecode(output.policies["blocks-jobs-worker"]).Statement : flatten([s.Resource])
    if contains(flatten([s.Action]), "lambda:GetFunction")]) == ["arn:aws:lambda:us-east-1:123456789012:function:ext-reports"]
    error_message = "The worker may read the configuration (timeout) of exactly the listed function."
  }
  assert {
    condition = toset(flatten([for s in jsondecode(output.policies["blocks-jobs-worker"]).Statement : flatten([s.Resource])
      if contains(flatten([s.Action]), "sqs:SendMessage")])) == toset([
      "arn:aws:sqs:us-east-1:123456789012:blocks-jobs-runs",
      "arn:aws:sqs:us-east-1:123456789012:blocks-jobs-runs-dlq",
      "arn:aws:sqs:us-east-1:123456789012:ext-work",
      "arn:aws:sqs:us-east-1:123456789012:ext-orders.fifo",
    ])
    error_message = "The worker may send to its own queues and exactly the listed ones."
  }
  assert {
    condition = alltrue([for name, doc in output.policies : alltrue([for s in jsondecode(doc).Statement :
    alltrue([for r in flatten([s.Resource]) : !strcontains(r, "*")]) if anytrue([for a in flatten([s.Action]) : startswith(a, "lambda:") || startswith(a, "sqs:Send")])])])
    error_message = "No scheduler function may invoke or send to a wildcard."
  }
}

run "kms_use_matches_the_roles" {
  command = apply
  variables {
    allowed_function_targets = ["ext-reports"]
  }

  assert {
    condition = flatten([for s in jsondecode(output.policies["blocks-jobs-api"]).Statement : flatten([s.Action])
    if anytrue([for a in flatten([s.Action]) : startswith(a, "kms:")])]) == ["kms:Encrypt"]
    error_message = "jobs-api seals headers: kms:Encrypt only."
  }
  assert {
    condition = flatten([for s in jsondecode(output.policies["blocks-jobs-worker"]).Statement : flatten([s.Action])
    if anytrue([for a in flatten([s.Action]) : startswith(a, "kms:")])]) == ["kms:Decrypt"]
    error_message = "jobs-worker opens headers: kms:Decrypt only."
  }
  assert {
    condition = length([for s in jsondecode(output.policies["blocks-jobs-dispatcher"]).Statement : s
    if anytrue([for a in flatten([s.Action]) : startswith(a, "kms:")])]) == 0
    error_message = "jobs-dispatcher never touches headers."
  }
}
