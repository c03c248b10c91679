# A configuration that needs no cloud account: built-in terraform_data resources only.
terraform {
  required_version = ">= 1.6"
}

variable "environment" {
  type        = string
  description = "Name of the environment the resources are labelled with."
  default     = "quickstart"
}

resource "terraform_data" "network" {
  input = {
    name = "${var.environment}-network"
    cidr = "10.42.0.0/16"
  }
}

resource "terraform_data" "service" {
  input = {
    name    = "${var.environment}-service"
    network = terraform_data.network.output.name
  }
}

resource "terraform_data" "release" {
  triggers_replace = [terraform_data.service.id]
  input            = "release-1"
}

output "network" {
  description = "The network's name and range."
  value       = terraform_data.network.output
}

output "service" {
  description = "The service and the network it runs in."
  value       = terraform_data.service.output
}
