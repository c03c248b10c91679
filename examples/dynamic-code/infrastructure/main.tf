# The configuration run.mjs packs and sends with each request.
terraform {
  required_version = ">= 1.5.0"

  # Partial configuration: the bucket, key and region come from the request's backend (or -backend-config).
  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40"
    }
  }
}

variable "environment" {
  description = "Environment name, from the request's vars."
  type        = string
  default     = "dev"
}

resource "aws_ssm_parameter" "environment" {
  name  = "/tf-lambda-example/${var.environment}/deployed-by"
  type  = "String"
  value = "tf-lambda"
}

output "parameter_name" {
  description = "Name of the parameter the bundled code manages."
  value       = aws_ssm_parameter.environment.name
}
