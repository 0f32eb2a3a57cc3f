output "api_endpoint" {
  value = aws_apigatewayv2_api.http.api_endpoint
}

output "function_names" {
  value = sort(keys(module.function))
}

output "kafka_topics" {
  description = "Kafka topics the stack uses, to be created on the cluster (neither Terraform nor Lambda creates them)."
  value       = [local.events_topic]
}
