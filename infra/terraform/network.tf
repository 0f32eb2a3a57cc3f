# Target aws only: the private network, an ElastiCache Serverless cache and an MSK Serverless cluster, unless
# redis_url / kafka_bootstrap_servers name existing ones. Every resource here is counted on local.aws, so the
# plans of targets local and localstack (what the local cloud reads) do not change.
#
# Endpoints are computed at apply (the cache's address, the brokers): functions get them in their environment on
# aws only, where nothing reads the plan.

locals {
  aws          = var.target == "aws"
  create_redis = local.aws && var.redis_url == null
  create_kafka = local.aws && var.kafka_bootstrap_servers == null

  # What modules/function's vpc input takes, for the roles that talk to Redis or Kafka; null off aws. Roles that
  # talk to Redis also get the grant its authentication needs (none for a given redis_url).
  function_vpc       = local.aws ? module.network[0].function_vpc : null
  redis_function_vpc = local.aws ? merge(module.network[0].function_vpc, { grants = local.redis_grants }) : null

  redis_cache       = "${var.prefix}-redis"
  redis_user        = "${var.prefix}-functions"
  redis_cache_arn   = "arn:${local.partition}:elasticache:${var.region}:${local.account_id}:serverlesscache:${local.redis_cache}"
  redis_user_arn    = "arn:${local.partition}:elasticache:${var.region}:${local.account_id}:user:${local.redis_user}"
  created_redis_url = local.create_redis ? "rediss://${aws_elasticache_serverless_cache.redis[0].endpoint[0].address}:${aws_elasticache_serverless_cache.redis[0].endpoint[0].port}" : null

  # IAM authentication: each connection sends AUTH <user> <token>, the token a SigV4-presigned "connect" request
  # for the cache, signed with the function's role (which elasticache:Connect allows on cache and user).
  redis_grants = local.create_redis ? [{ actions = ["elasticache:Connect"], resources = [local.redis_cache_arn, local.redis_user_arn] }] : []
  redis_environment = local.create_redis ? {
    BLOCKS_REDIS_AUTH       = "iam"
    BLOCKS_REDIS_USER       = local.redis_user
    BLOCKS_REDIS_CACHE_NAME = local.redis_cache
  } : {}

  # Topic and group ARNs of MSK are the cluster's with "topic"/"group" for "cluster", then the name.
  msk = local.create_kafka ? {
    cluster_arn      = aws_msk_serverless_cluster.kafka[0].arn
    topic_arn_prefix = replace(aws_msk_serverless_cluster.kafka[0].arn, ":cluster/", ":topic/")
    group_arn_prefix = replace(aws_msk_serverless_cluster.kafka[0].arn, ":cluster/", ":group/")
  } : null
  kafka_environment = local.create_kafka ? { BLOCKS_KAFKA_AUTH = "msk-iam" } : {}
}

module "network" {
  source = "./modules/network"
  count  = local.aws ? 1 : 0

  name                = var.prefix
  region              = var.region
  create              = var.network.create
  cidr                = var.network.cidr
  availability_zones  = var.network.availability_zones
  existing_vpc_id     = var.network.existing_vpc_id
  subnet_ids          = var.network.subnet_ids
  create_endpoints    = var.network.create_endpoints
  interface_endpoints = var.network.interface_endpoints
}

# --- Redis: ElastiCache Serverless, TLS always on, IAM authentication ------------------------------------------

# Every user group needs a user named "default"; this one is switched off, so only IAM-authenticated users connect.
resource "aws_elasticache_user" "redis_default" {
  count = local.create_redis ? 1 : 0

  user_id       = "${var.prefix}-redis-default"
  user_name     = "default"
  engine        = var.redis_engine
  access_string = "off -@all"
  authentication_mode {
    type = "no-password-required"
  }
}

# The functions' user. IAM authentication requires user_id = user_name. Keys are not narrowed to <prefix>:*
# because the rate limiter's keys do not carry the prefix yet; dangerous commands (FLUSHALL, KEYS, CONFIG, ...) are off.
resource "aws_elasticache_user" "functions" {
  count = local.create_redis ? 1 : 0

  user_id       = local.redis_user
  user_name     = local.redis_user
  engine        = var.redis_engine
  access_string = "on ~* &* +@all -@dangerous"
  authentication_mode {
    type = "iam"
  }
}

resource "aws_elasticache_user_group" "redis" {
  count = local.create_redis ? 1 : 0

  user_group_id = "${var.prefix}-redis"
  engine        = var.redis_engine
  user_ids      = [aws_elasticache_user.redis_default[0].user_id, aws_elasticache_user.functions[0].user_id]
}

resource "aws_elasticache_serverless_cache" "redis" {
  count = local.create_redis ? 1 : 0

  name                 = local.redis_cache
  description          = "${var.prefix}: link cache, click counters, rate limiters"
  engine               = var.redis_engine
  major_engine_version = var.redis_engine == "valkey" ? "8" : "7"
  subnet_ids           = module.network[0].subnet_ids
  security_group_ids   = [module.network[0].security_group_ids.redis]
  user_group_id        = aws_elasticache_user_group.redis[0].user_group_id
}

# --- Kafka: MSK Serverless, SASL/IAM only ---------------------------------------------------------------------

# MSK Serverless has no topic resource: the topics in output kafka_topics are created on the cluster separately
# (README "Network, Redis and Kafka on AWS").
resource "aws_msk_serverless_cluster" "kafka" {
  count = local.create_kafka ? 1 : 0

  cluster_name = "${var.prefix}-kafka"

  vpc_config {
    subnet_ids         = module.network[0].subnet_ids
    security_group_ids = [module.network[0].security_group_ids.kafka]
  }

  client_authentication {
    sasl {
      iam {
        enabled = true
      }
    }
  }
}
