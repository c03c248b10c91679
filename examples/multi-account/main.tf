# One runner for many accounts. Two ways to reach them, both least-privilege:
#  - the caller assumes each account's role and sends the credentials with the run (fan-out.mjs, forEachAccount);
#  - or the Terraform code assumes the roles itself (provider "aws" { assume_role { ... } }), which needs
#    sts:AssumeRole on exactly those roles: assume_role_arns.
variable "target_role_arns" {
  description = "Roles in the target accounts that Terraform runs as (each must trust this runner's role or your caller)."
  type        = list(string)

  validation {
    condition     = length(var.target_role_arns) > 0
    error_message = "List at least one target role."
  }
}

module "terraform_runner" {
  source = "../../packages/module"

  name             = "terraform-runner-multi-account"
  assume_role_arns = var.target_role_arns

  # Code over the 6 MB payload limit is staged here by the client.
  create_bucket = true

  reserved_concurrent_executions = 10
}

output "function_name" {
  description = "Pass it to fan-out.mjs as TF_LAMBDA_FUNCTION."
  value       = module.terraform_runner.function_name
}

output "staging_bucket" {
  description = "Pass it to fan-out.mjs as TF_LAMBDA_STAGING_BUCKET."
  value       = module.terraform_runner.bucket_name
}

output "role_arn" {
  description = "The runner's role: the target roles' trust policies name it for the in-Terraform assume-role pattern."
  value       = module.terraform_runner.role_arn
}
