# The runner inside private subnets without a NAT gateway: the bundled code's providers are mirrored into the
# image (init downloads nothing), the security group allows HTTPS out only, and VPC endpoints reach AWS.
variable "vpc_id" {
  description = "The VPC to run in."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets of the VPC (two or more, in different availability zones)."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "Give at least two subnets, in different availability zones."
  }
}

variable "private_route_table_ids" {
  description = "Route tables of the private subnets, for the S3 gateway endpoint."
  type        = list(string)
}

data "aws_vpc" "this" {
  id = var.vpc_id
}

module "terraform_runner" {
  source = "../../packages/module"

  name                 = "terraform-runner-vpc"
  bundled_code_path    = "${path.module}/../bundled-code/infrastructure"
  preinstall_providers = true

  vpc_subnet_ids                    = var.private_subnet_ids
  create_security_group             = true
  security_group_egress_cidr_blocks = [data.aws_vpc.this.cidr_block]
}

# Interface endpoints for what terraform and the runtime call; S3 (state, staged code) through a gateway.
resource "aws_security_group" "endpoints" {
  name_prefix = "terraform-runner-endpoints-"
  description = "HTTPS from the tf-lambda runner to the VPC endpoints"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
  security_group_id            = aws_security_group.endpoints.id
  description                  = "HTTPS from the runner"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = module.terraform_runner.security_group_id
}

resource "aws_vpc_endpoint" "interface" {
  for_each = toset(["sts", "ssm", "logs"])

  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${var.region}.${each.value}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.private_subnet_ids
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = var.private_route_table_ids
}

output "function_name" {
  description = "Invoke with {\"command\":\"plan\"} (and a backend) to plan the bundled code from inside the VPC."
  value       = module.terraform_runner.function_name
}

output "security_group_id" {
  description = "The runner's security group (HTTPS out to the VPC only)."
  value       = module.terraform_runner.security_group_id
}
