output "api_endpoint" {
  value = aws_apigatewayv2_api.http.api_endpoint
}

output "function_names" {
  value = sort(keys(module.function))
}
