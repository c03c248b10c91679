data "aws_subnet" "first" {
  count = var.create_security_group && local.in_vpc ? 1 : 0

  id = var.vpc_subnet_ids[0]
}

resource "aws_security_group" "this" {
  count = var.create_security_group && local.in_vpc ? 1 : 0

  name_prefix = "${var.name}-"
  description = "tf-lambda function ${var.name}: HTTPS out only"
  vpc_id      = data.aws_subnet.first[0].vpc_id
  tags        = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

# Terraform reaches AWS APIs, registries and state over HTTPS; nothing comes in.
resource "aws_vpc_security_group_egress_rule" "https" {
  for_each = var.create_security_group && local.in_vpc ? toset(var.security_group_egress_cidr_blocks) : toset([])

  security_group_id = aws_security_group.this[0].id
  description       = "HTTPS to ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
  tags              = local.tags
}
