# The baseline applied in every account: the credentials of the run decide which account.
terraform {
  required_version = ">= 1.5.0"

  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40"
    }
  }
}

data "aws_caller_identity" "current" {}

resource "aws_ssm_parameter" "baseline" {
  name  = "/baseline/managed-by"
  type  = "String"
  value = "tf-lambda"
}

output "account_id" {
  description = "The account this run planned in."
  value       = data.aws_caller_identity.current.account_id
}
