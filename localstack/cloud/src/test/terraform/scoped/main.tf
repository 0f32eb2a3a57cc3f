# Fixture: routes, integrations and functions repeated per module instance and per count index, wired through
# provider-computed attributes (unknown in the plan), so only configuration references can connect them.

module "service" {
  source   = "./service"
  for_each = toset(["alpha", "beta"])

  name = each.key
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = module.service["beta"].queue_arn
  function_name    = module.service["beta"].first_function_arn
}
