# A runner for code sent with each request (no bundled code), with a bucket for code over the payload limit.
module "terraform_runner" {
  source = "../../packages/module"

  name          = "terraform-runner-dynamic"
  create_bucket = true

  # What the code sent to it manages (here: SSM parameters under /tf-lambda-example/ and the state bucket).
  policy_json = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ManagedParameters"
      Effect   = "Allow"
      Action   = ["ssm:PutParameter", "ssm:GetParameter", "ssm:GetParameters", "ssm:DeleteParameter", "ssm:AddTagsToResource", "ssm:ListTagsForResource"]
      Resource = "arn:aws:ssm:*:*:parameter/tf-lambda-example/*"
      }, {
      Sid      = "DescribeParameters"
      Effect   = "Allow"
      Action   = ["ssm:DescribeParameters"]
      Resource = "*"
    }]
  })
}

output "function_name" {
  description = "Pass it to run.mjs as TF_LAMBDA_FUNCTION."
  value       = module.terraform_runner.function_name
}

output "staging_bucket" {
  description = "Pass it to run.mjs as TF_LAMBDA_STAGING_BUCKET; it also holds the example's state."
  value       = module.terraform_runner.bucket_name
}
