output "api_endpoint" {
  value = aws_apigatewayv2_api.http.api_endpoint
}

output "scheduler_functions" {
  value = module.scheduler.function_names
}

output "kafka_topics" {
  description = "Topics the tests' Kafka jobs deliver to."
  value       = [local.sink_topic]
}
