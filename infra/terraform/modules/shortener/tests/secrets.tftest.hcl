# The module's secrets offline (terraform test with a mocked AWS provider): no deployment outside the local cloud
# runs on the public development values, and what is given reaches the functions.

mock_provider "aws" {
  # The root stack's mocked answers: the key's ARN is known during plan, so the parameters' key can be compared.
  source          = "../../tests/mocks"
  override_during = plan
}

variables {
  platform = {
    target                  = "aws"
    prefix                  = "t"
    region                  = "us-east-1"
    partition               = "aws"
    account_id              = "123456789012"
    redis_url               = "rediss://cache.internal:6379"
    kafka_bootstrap_servers = "kafka.internal:9098"
    api_id                  = "mockapi"
    api_execution_arn       = "arn:aws:execute-api:us-east-1:123456789012:mockapi"
  }
  artifact       = "missing/function.zip"
  api_keys_table = "t-api-keys"
}

run "aws_without_secrets_is_refused" {
  command         = plan
  expect_failures = [aws_dynamodb_table.links]
}

run "localstack_without_secrets_is_refused" {
  command = plan
  variables {
    platform = merge(var.platform, { target = "localstack" })
  }
  expect_failures = [aws_dynamodb_table.links]
}

run "a_short_visitor_secret_is_refused" {
  command = plan
  variables {
    code_key       = "4242424242424242"
    visitor_secret = "0123456789abcdef0123456789abcde"
  }
  expect_failures = [var.visitor_secret]
}

run "a_zero_code_key_is_refused" {
  command = plan
  variables {
    code_key       = "0"
    visitor_secret = "0123456789abcdef0123456789abcdef"
  }
  expect_failures = [var.code_key]
}

run "a_code_key_java_cannot_read_back_is_refused" {
  command = plan
  variables {
    code_key       = "9223372036854775808"
    visitor_secret = "0123456789abcdef0123456789abcdef"
  }
  expect_failures = [var.code_key]
}

run "a_code_key_with_a_leading_zero_is_refused" {
  command = plan
  variables {
    code_key       = "0042"
    visitor_secret = "0123456789abcdef0123456789abcdef"
  }
  expect_failures = [var.code_key]
}

run "aws_keeps_each_secret_in_ssm_for_the_one_role_that_uses_it" {
  command = plan
  variables {
    code_key       = "-9223372036854775807"
    visitor_secret = "0123456789abcdef0123456789abcdef"
  }
  # What value_wo writes (write-only: a plan cannot show it).
  assert {
    condition     = local.secrets.code_key.value == "-9223372036854775807" && local.secrets.visitor_secret.value == "0123456789abcdef0123456789abcdef"
    error_message = "the given code_key and visitor_secret must be what the parameters are written with"
  }
  assert {
    condition     = alltrue([for name, p in aws_ssm_parameter.secret : p.type == "SecureString" && p.key_id == module.secrets_key[0].arn]) && toset(keys(aws_ssm_parameter.secret)) == toset(["code_key", "visitor_secret"])
    error_message = "both secrets must be SecureString parameters encrypted with the module's key"
  }
  assert {
    condition = jsonencode(local.secret_environment) == jsonencode({
      "links-api"     = { BLOCKS_SECRET_PARAMETERS = "blocks.shortener.codes.key=/t/shortener/code-key" }
      "redirect"      = { BLOCKS_SECRET_PARAMETERS = "blocks.shortener.clicks.visitor-secret=/t/shortener/visitor-secret" }
      "clicks"        = {}
      "clicks-replay" = {}
    })
    error_message = "links-api must read the code key and the redirect the visitor secret from SSM, and no other role either"
  }
  assert {
    condition = alltrue([for env in concat([local.environment], values(local.secret_environment)) :
    !contains(values(env), "-9223372036854775807") && !contains(values(env), "0123456789abcdef0123456789abcdef")])
    error_message = "no function's environment may hold a secret's value"
  }
  assert {
    condition     = [for s in jsondecode(output.policies["t-links-api"]).Statement : s.Resource if contains(flatten([s.Action]), "ssm:GetParameters")] == [["arn:aws:ssm:us-east-1:123456789012:parameter/t/shortener/code-key"]] && [for s in jsondecode(output.policies["t-redirect"]).Statement : s.Resource if contains(flatten([s.Action]), "ssm:GetParameters")] == [["arn:aws:ssm:us-east-1:123456789012:parameter/t/shortener/visitor-secret"]]
    error_message = "each role may read exactly its own parameter"
  }
  assert {
    condition = length([for name in ["t-clicks", "t-clicks-replay"] : name
    if anytrue([for s in jsondecode(output.policies[name]).Statement : contains(flatten([s.Action]), "ssm:GetParameters") || contains(flatten([s.Action]), "kms:Decrypt")])]) == 0
    error_message = "clicks and clicks-replay use no secret and may read none"
  }
}

run "local_gives_the_development_values_to_the_roles_that_use_them" {
  command = plan
  variables {
    platform = merge(var.platform, { target = "local" })
  }
  assert {
    condition = jsonencode(local.secret_environment) == jsonencode({
      "links-api"     = { BLOCKS_SHORTENER_CODES_KEY = local.dev_code_key }
      "redirect"      = { BLOCKS_SHORTENER_CLICKS_VISITOR_SECRET = local.dev_visitor_secret }
      "clicks"        = {}
      "clicks-replay" = {}
    })
    error_message = "target local must give each role the development value it uses, in its environment"
  }
  assert {
    condition     = length(aws_ssm_parameter.secret) == 0 && length(module.secrets_key) == 0
    error_message = "target local has no SSM or KMS: no parameter and no key"
  }
}
