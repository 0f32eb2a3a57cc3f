output "api_endpoint" {
  value = aws_apigatewayv2_api.http.api_endpoint
}

output "shortener_functions" {
  value = module.shortener.function_names
}
