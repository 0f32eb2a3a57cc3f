output "api_endpoint" {
  description = "Base URL of the HTTP API (unknown until apply)."
  value       = module.blocks.api_endpoint
}

output "network" {
  description = "The given VPC and subnets, and the security groups the stack created in it (functions, redis, kafka, endpoints)."
  value       = module.blocks.network
}

output "kafka_topics" {
  description = "Every Kafka topic the deployment uses: create them on the MSK cluster (kafka_cluster_arn) before traffic arrives."
  value       = module.blocks.kafka_topics
}

output "kafka_cluster_arn" {
  description = "The MSK Serverless cluster the stack created in the given subnets."
  value       = module.blocks.kafka_cluster_arn
}
