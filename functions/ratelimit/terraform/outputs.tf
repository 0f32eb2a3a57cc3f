output "api_endpoint" {
  value = aws_apigatewayv2_api.http.api_endpoint
}

output "rules_table" {
  value = module.ratelimit.rules_table
}

output "functions" {
  value = merge(module.ratelimit.function_names, { "api-keys" = module.identity.admin_function_name })
}
