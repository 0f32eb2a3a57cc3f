# Target aws with the stack's MSK Serverless cluster: the topics of output kafka_topics are created on apply, since
# MSK Serverless has no Terraform resource for topics. kafka-topics (a role of the shortener's artifact, which carries
# the Kafka client and MSK's IAM library) runs in the functions' subnets with exactly the grants to connect and to
# create and describe those topics; aws_lambda_invocation calls it with the list, again whenever the list changes.
# Existing topics are left as they are. The clicks mapping waits for it (modules/shortener: msk.topics_ready), so
# Lambda never polls a topic that is not there yet. Target local runs the same function and invocation: the local
# cloud invokes it from the plan once the functions are up (its own Kafka gets the topics from the plan first, for
# its pollers, so there the function finds them and leaves them).

variable "kafka_topic_partitions" {
  description = "Partitions of each topic kafka-topics creates on the stack's MSK cluster (1 to 1000; MSK Serverless allows at most 120 per cluster in all). Existing topics are not changed."
  type        = number
  default     = 3

  validation {
    condition     = var.kafka_topic_partitions >= 1 && var.kafka_topic_partitions <= 1000 && floor(var.kafka_topic_partitions) == var.kafka_topic_partitions
    error_message = "kafka_topic_partitions must be a whole number from 1 to 1000."
  }
}

locals {
  provision_topics = local.create_kafka || var.target == "local"
  kafka_topics     = concat(module.webhooks.kafka_topics, module.ratelimit.kafka_topics, module.shortener.kafka_topics)
  # What the Kafka roles' modules get as msk: the cluster, and the topics' creation to wait for.
  msk_with_topics = local.create_kafka ? {
    cluster_arn      = local.msk.cluster_arn
    topic_arn_prefix = local.msk.topic_arn_prefix
    group_arn_prefix = local.msk.group_arn_prefix
    topics_ready     = aws_lambda_invocation.kafka_topics[0].result
  } : null
}

module "kafka_topics" {
  source = "./modules/function"
  count  = local.provision_topics ? 1 : 0

  platform        = local.platform
  name            = "${var.prefix}-kafka-topics"
  blocks_function = "kafka-topics"
  artifact        = local.artifact_paths.shortener
  timeout_seconds = 120
  environment = merge(local.kafka_environment, {
    BLOCKS_PREFIX                            = var.prefix
    BLOCKS_SHORTENER_KAFKA_BOOTSTRAP_SERVERS = local.kafka_bootstrap_servers
  })
  vpc = local.function_vpc
  policy_statements = local.create_kafka ? [
    { actions = ["kafka-cluster:Connect"], resources = [local.msk.cluster_arn] },
    { actions = ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic"], resources = [for topic in local.kafka_topics : "${local.msk.topic_arn_prefix}/${topic}"] },
  ] : []
}

resource "aws_lambda_invocation" "kafka_topics" {
  count = local.provision_topics ? 1 : 0

  function_name = module.kafka_topics[0].function_name
  qualifier     = module.kafka_topics[0].alias_name
  input         = jsonencode({ topics = [for topic in local.kafka_topics : { name = topic, partitions = var.kafka_topic_partitions }] })
}
