output "api_endpoint" {
  value = aws_apigatewayv2_api.http.api_endpoint
}

output "bucket" {
  value = module.uploads.bucket
}

output "functions" {
  value = merge(module.uploads.function_names, { "api-keys" = module.api_keys.function_name })
}
