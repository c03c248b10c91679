output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function (what clients invoke)."
  value       = aws_lambda_function.this.arn
}

output "function_invoke_arn" {
  description = "Invoke ARN of the function, for API Gateway integrations."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_name" {
  description = "Name of the created execution role (null when create_role is false): attach the permissions your Terraform code needs to it."
  value       = try(aws_iam_role.this[0].name, null)
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = local.role_arn
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "repository_url" {
  description = "URL of the ECR repository the image is pushed to."
  value       = try(local.repository_url, null)
}

output "repository_arn" {
  description = "ARN of the created ECR repository."
  value       = try(aws_ecr_repository.this[0].arn, null)
}

output "image_uri" {
  description = "The image the function runs, pinned by digest when the module built it."
  value       = local.image_uri
}

output "image_content_hash" {
  description = "SHA-256 over the image's inputs (Dockerfile, runtime sources, bundled code, build arguments); the image tag derives from it."
  value       = try(local.image_content_hash, null)
}

output "bucket_name" {
  description = "Name of the created staging and artifacts bucket."
  value       = try(aws_s3_bucket.this[0].id, null)
}

output "bucket_arn" {
  description = "ARN of the created staging and artifacts bucket."
  value       = try(aws_s3_bucket.this[0].arn, null)
}

output "security_group_id" {
  description = "ID of the created security group."
  value       = try(aws_security_group.this[0].id, null)
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = try(local.alarm_topic_arn, null)
}

output "schedule_rule_arns" {
  description = "EventBridge rule ARNs of the schedules, by schedule name."
  value       = try({ for name, rule in aws_cloudwatch_event_rule.schedule : name => rule.arn }, {})
}
