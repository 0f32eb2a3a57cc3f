# The AWS provider's mocked answers, shared by every terraform test of the root stack: computed values (account,
# zones, ARNs, endpoints) that policies, ARNs built from names and the network's routes need to be complete.
mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012" }
}
mock_data "aws_partition" {
  defaults = { partition = "aws" }
}
mock_data "aws_availability_zones" {
  defaults = { names = ["us-east-1a", "us-east-1b", "us-east-1c"] }
}
mock_data "aws_route_table" {
  defaults = { id = "rtb-existing" }
}
mock_data "aws_prefix_list" {
  defaults = { id = "pl-00000000" }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
}
mock_resource "aws_apigatewayv2_api" {
  defaults = { execution_arn = "arn:aws:execute-api:us-east-1:123456789012:mockapi" }
}
mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000" }
}
mock_resource "aws_sqs_queue" {
  defaults = { arn = "arn:aws:sqs:us-east-1:123456789012:mock" }
}
mock_resource "aws_lambda_function" {
  defaults = { arn = "arn:aws:lambda:us-east-1:123456789012:function:mock" }
}
mock_resource "aws_vpc" {
  defaults = { id = "vpc-created" }
}
mock_resource "aws_msk_serverless_cluster" {
  defaults = {
    arn                        = "arn:aws:kafka:us-east-1:123456789012:cluster/blocks-kafka/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f-s1"
    bootstrap_brokers_sasl_iam = "boot-abcd.c1.kafka-serverless.us-east-1.amazonaws.com:9098"
  }
}
mock_resource "aws_elasticache_serverless_cache" {
  defaults = { endpoint = [{ address = "blocks-redis-abcdef.serverless.use1.cache.amazonaws.com", port = 6379 }] }
}
mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::mock-bucket" }
}
