# Fixture: route authorization the local cloud cannot emulate, each reported with the resource that asks for it.

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::000000000000:role/fixture"
  filename      = "function.zip"
  runtime       = "java21"
  handler       = "example.Handler::handleRequest"
}

resource "aws_apigatewayv2_authorizer" "lambda" {
  api_id                            = "fixture"
  name                              = "lambda"
  authorizer_type                   = "REQUEST"
  authorizer_uri                    = aws_lambda_function.api.invoke_arn
  identity_sources                  = ["$request.header.Authorization"]
  authorizer_payload_format_version = "2.0"
}

resource "aws_apigatewayv2_integration" "api" {
  api_id                 = "fixture"
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.api.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "iam" {
  api_id             = "fixture"
  route_key          = "GET /iam"
  target             = "integrations/${aws_apigatewayv2_integration.api.id}"
  authorization_type = "AWS_IAM"
}

resource "aws_apigatewayv2_route" "lambda_authorized" {
  api_id             = "fixture"
  route_key          = "GET /custom"
  target             = "integrations/${aws_apigatewayv2_integration.api.id}"
  authorization_type = "CUSTOM"
  authorizer_id      = aws_apigatewayv2_authorizer.lambda.id
}

resource "aws_apigatewayv2_route" "jwt_without_authorizer" {
  api_id             = "fixture"
  route_key          = "GET /jwt"
  target             = "integrations/${aws_apigatewayv2_integration.api.id}"
  authorization_type = "JWT"
  authorizer_id      = "abc123"
}

resource "aws_apigatewayv2_route" "jwt_with_lambda_authorizer" {
  api_id             = "fixture"
  route_key          = "GET /mixed"
  target             = "integrations/${aws_apigatewayv2_integration.api.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.lambda.id
}

resource "aws_apigatewayv2_integration" "version_1" {
  api_id           = "fixture"
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.api.invoke_arn
}

resource "aws_apigatewayv2_route" "version_1" {
  api_id    = "fixture"
  route_key = "GET /v1"
  target    = "integrations/${aws_apigatewayv2_integration.version_1.id}"
}
