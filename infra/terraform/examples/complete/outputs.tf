output "api_endpoint" {
  description = "Base URL of the HTTP API every capability's routes are on (unknown until apply)."
  value       = module.blocks.api_endpoint
}

output "account_id" {
  description = "Account the stack is planned for (000000000000 for local and localstack)."
  value       = module.blocks.account_id
}

output "kafka_topics" {
  description = "Every Kafka topic the deployment uses: create them on the cluster (kafka_cluster_arn on aws) before traffic arrives."
  value       = module.blocks.kafka_topics
}

output "kafka_cluster_arn" {
  description = "Target aws without kafka_bootstrap_servers: the MSK Serverless cluster. Null otherwise."
  value       = module.blocks.kafka_cluster_arn
}

output "network" {
  description = "Target aws: the VPC, private subnets and security groups of the functions that talk to Redis or Kafka. Null on local and localstack."
  value       = module.blocks.network
}
