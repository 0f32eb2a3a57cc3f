variable "name" {
  type = string
}

resource "aws_lambda_function" "this" {
  count = 2

  function_name = "${var.name}-${count.index}"
  role          = "arn:aws:iam::000000000000:role/fixture"
  filename      = "function.zip"
  runtime       = "java21"
  handler       = "example.Handler::handleRequest"
}

resource "aws_apigatewayv2_integration" "this" {
  count = 2

  api_id                 = "fixture"
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.this[count.index].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "indexed" {
  count = 2

  api_id    = "fixture"
  route_key = "GET /${var.name}/${count.index}"
  target    = "integrations/${aws_apigatewayv2_integration.this[count.index].id}"
}

resource "aws_apigatewayv2_route" "first" {
  api_id    = "fixture"
  route_key = "GET /${var.name}/first"
  target    = "integrations/${aws_apigatewayv2_integration.this[0].id}"
}

# One integration per route, both over the same for_each, as infra/terraform/README.md recommends.
locals {
  routes = {
    "POST /${var.name}/jobs"   = 0
    "DELETE /${var.name}/jobs" = 1
  }
}

resource "aws_apigatewayv2_integration" "route" {
  for_each = local.routes

  api_id                 = "fixture"
  integration_type       = "AWS_PROXY"
  payload_format_version = "2.0"
  integration_uri        = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${aws_lambda_function.this[each.value].function_name}:live/invocations"
}

resource "aws_apigatewayv2_route" "route" {
  for_each = local.routes

  api_id    = "fixture"
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.route[each.key].id}"
}

resource "aws_sqs_queue" "jobs" {
  name = "${var.name}-jobs"
}

output "queue_arn" {
  value = aws_sqs_queue.jobs.arn
}

output "first_function_arn" {
  value = aws_lambda_function.this[0].arn
}
