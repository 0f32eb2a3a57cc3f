# Target aws with the stack's MSK cluster creates the stack's topics on apply (terraform test with a mocked AWS
# provider, plans only; check.sh runs it).

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

variables {
  target                   = "aws"
  shortener_code_key       = "7345912387412398741"
  shortener_visitor_secret = "test-only-visitor-secret-0123456789abcdef"
}

run "kafka_topics_creates_every_topic_of_the_stack_with_only_the_grants_it_needs" {
  command = plan

  assert {
    condition     = jsondecode(aws_lambda_invocation.kafka_topics[0].input).topics == [for topic in output.kafka_topics : { name = topic, partitions = 3 }] && contains(output.kafka_topics, "blocks-clicks")
    error_message = "kafka-topics must be invoked with every topic of the stack, the click stream included"
  }
  assert {
    condition     = aws_lambda_invocation.kafka_topics[0].function_name == "blocks-kafka-topics" && aws_lambda_invocation.kafka_topics[0].qualifier == "live"
    error_message = "the invocation must call the kafka-topics function's live alias"
  }
  assert {
    condition     = toset(flatten([for s in jsondecode(output.function_policies["blocks-kafka-topics"]).Statement : s.Action if anytrue([for a in flatten([s.Action]) : startswith(a, "kafka")])])) == toset(["kafka-cluster:Connect", "kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic"])
    error_message = "kafka-topics may connect and create and describe topics, nothing else on the cluster"
  }
  assert {
    condition = flatten([for s in jsondecode(output.function_policies["blocks-kafka-topics"]).Statement : s.Resource if contains(flatten([s.Action]), "kafka-cluster:CreateTopic")]) == [
    for topic in output.kafka_topics : "arn:aws:kafka:us-east-1:123456789012:topic/blocks-kafka/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f-s1/${topic}"]
    error_message = "kafka-topics may create exactly the stack's topics"
  }
  assert {
    condition     = contains(flatten([for s in jsondecode(output.function_policies["blocks-kafka-topics"]).Statement : s.Action]), "ec2:CreateNetworkInterface")
    error_message = "kafka-topics must run in the functions' subnets, where MSK is reachable"
  }
}

run "a_given_kafka_has_its_topics_made_by_its_operators" {
  command = plan
  variables {
    kafka_bootstrap_servers = "kafka.internal:9092"
  }
  assert {
    condition     = length(aws_lambda_invocation.kafka_topics) == 0 && length(module.kafka_topics) == 0
    error_message = "a Kafka the stack did not create gets no kafka-topics function"
  }
}
