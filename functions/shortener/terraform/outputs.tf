output "api_endpoint" {
  value = aws_apigatewayv2_api.http.api_endpoint
}

output "shortener_functions" {
  value = module.shortener.function_names
}

output "kafka_topics" {
  description = "Topics the local cloud creates: the click stream."
  value       = module.shortener.kafka_topics
}
