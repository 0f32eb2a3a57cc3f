output "vpc_id" {
  description = "The VPC (created or given)."
  value       = local.vpc_id
}

output "subnet_ids" {
  description = "The private subnets: functions, ElastiCache and MSK are placed in them."
  value       = local.subnet_ids
}

output "security_group_ids" {
  description = "Security groups by role: functions (what Redis/Kafka functions run with), redis, kafka, endpoints."
  value = {
    functions = aws_security_group.functions.id
    redis     = aws_security_group.redis.id
    kafka     = aws_security_group.kafka.id
    endpoints = aws_security_group.endpoints.id
  }
}

output "function_vpc" {
  description = "What modules/function's vpc input takes for a function that talks to Redis or Kafka."
  value = {
    subnet_ids         = local.subnet_ids
    security_group_ids = [aws_security_group.functions.id]
  }
}
