# Data at rest on target aws (terraform test with a mocked AWS provider, plans only; check.sh runs it).

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

variables {
  target                   = "aws"
  shortener_code_key       = "7345912387412398741"
  shortener_visitor_secret = "test-only-visitor-secret-0123456789abcdef"
}

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
