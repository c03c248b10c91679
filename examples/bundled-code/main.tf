variable "state_bucket" {
  description = "S3 bucket holding the bundled code's state (the request's backend names it)."
  type        = string
}

# The runner with infrastructure/ baked into the image and its providers mirrored into it: `{"command":"plan"}`
# plans that code, and init needs no provider download.
module "terraform_runner" {
  source = "../../packages/module"

  name                 = "terraform-runner-bundled"
  bundled_code_path    = "${path.module}/infrastructure"
  preinstall_providers = true

  timeout                = 900
  memory_size            = 4096
  ephemeral_storage_size = 4096

  # What the bundled code manages, and nothing more.
  policy_json = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ManagedParameters"
      Effect   = "Allow"
      Action   = ["ssm:PutParameter", "ssm:GetParameter", "ssm:GetParameters", "ssm:DeleteParameter", "ssm:AddTagsToResource", "ssm:ListTagsForResource"]
      Resource = "arn:aws:ssm:*:*:parameter/tf-lambda-example/*"
      }, {
      Sid      = "StateObjects"
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
      Resource = "arn:aws:s3:::${var.state_bucket}/*"
      }, {
      Sid      = "StateBucket"
      Effect   = "Allow"
      Action   = ["s3:ListBucket"]
      Resource = "arn:aws:s3:::${var.state_bucket}"
      }, {
      Sid      = "DescribeParameters"
      Effect   = "Allow"
      Action   = ["ssm:DescribeParameters"]
      Resource = "*"
    }]
  })

  cloudwatch_logs_retention_in_days = 90
}

output "function_name" {
  description = "Invoke with {\"command\":\"plan\"} to plan the bundled code."
  value       = module.terraform_runner.function_name
}

output "image_uri" {
  description = "The image, pinned by digest; it changes only when the code, the runtime or the build arguments do."
  value       = module.terraform_runner.image_uri
}
