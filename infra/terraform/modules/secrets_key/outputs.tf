output "arn" {
  description = "ARN of the key, for the IAM statements that grant its use."
  value       = aws_kms_key.this.arn
}

output "alias_name" {
  description = "The key's alias, what functions are configured with."
  value       = aws_kms_alias.this.name
}
