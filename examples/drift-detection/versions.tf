terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40"
    }
    docker = {
      source  = "kreuzwerker/docker"
      version = ">= 3.0.2"
    }
  }
}

provider "aws" {
  region = var.region
}

data "aws_ecr_authorization_token" "this" {}

# The module builds the image with the local Docker engine and pushes it to ECR with these credentials.
provider "docker" {
  registry_auth {
    address  = data.aws_ecr_authorization_token.this.proxy_endpoint
    username = data.aws_ecr_authorization_token.this.user_name
    password = data.aws_ecr_authorization_token.this.password
  }
}

variable "region" {
  description = "AWS region to deploy the runner in."
  type        = string
  default     = "eu-west-1"
}
