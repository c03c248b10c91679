# The minimal runner: image built from this repository, pushed to ECR, deployed as a function.
module "terraform_runner" {
  source = "../../packages/module"

  name = "terraform-runner"
}

output "function_name" {
  description = "Invoke this function with a tf-lambda request."
  value       = module.terraform_runner.function_name
}

output "role_name" {
  description = "Attach what your Terraform code manages to this role."
  value       = module.terraform_runner.role_name
}
