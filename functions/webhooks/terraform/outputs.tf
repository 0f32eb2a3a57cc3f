output "api_endpoint" {
  value = aws_apigatewayv2_api.http.api_endpoint
}

output "webhooks_functions" {
  value = module.webhooks.function_names
}

output "kafka_topics" {
  description = "Topics the local cloud creates: those webhooks-in publishes to."
  value       = module.webhooks.kafka_topics
}
