# Fixture: a configuration Terraform itself rejects at plan time.
variable "target" {
  type = string
}

output "queue" {
  value = aws_sqs_queue.missing.name
}
