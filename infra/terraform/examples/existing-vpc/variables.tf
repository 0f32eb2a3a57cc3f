variable "region" {
  description = "AWS region of the VPC and of every resource."
  type        = string
  default     = "us-east-1"
}

variable "vpc_id" {
  description = "The existing VPC the functions that talk to Redis or Kafka, ElastiCache and MSK are placed in."
  type        = string
}

variable "subnet_ids" {
  description = "At least two private subnets of vpc_id, in different availability zones: the functions' ENIs, the cache and the cluster go there. Their route tables get the DynamoDB and S3 gateway endpoints."
  type        = list(string)
}

variable "shortener_code_key" {
  description = "Key of the shortener's code scrambler: a random non-zero 64-bit integer as a string, one per deployment, never changed once codes were issued."
  type        = string
  sensitive   = true
}

variable "shortener_visitor_secret" {
  description = "Secret of the shortener's visitor hash: at least 32 random characters."
  type        = string
  sensitive   = true
}
