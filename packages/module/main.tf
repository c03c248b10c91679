data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  role_arn  = var.create_role ? aws_iam_role.this[0].arn : var.role_arn
  image_uri = var.create_image ? "${local.repository_url}@${docker_registry_image.this[0].sha256_digest}" : var.image_uri

  in_vpc = length(var.vpc_subnet_ids) > 0
  security_group_ids = concat(
    var.security_group_ids,
    var.create_security_group && local.in_vpc ? [aws_security_group.this[0].id] : [],
  )

  # What the runtime reads (docker/Dockerfile sets the paths inside the image); the caller's variables win.
  environment_variables = merge(
    var.deadline_grace_milliseconds == null ? {} : { TF_LAMBDA_DEADLINE_GRACE_MS = tostring(var.deadline_grace_milliseconds) },
    var.log_bytes == null ? {} : { TF_LAMBDA_LOG_BYTES = tostring(var.log_bytes) },
    var.environment_variables,
  )

  tags = merge(var.tags, { "tf-lambda:function" = var.name })
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  description   = var.description
  role          = local.role_arn
  package_type  = "Image"
  image_uri     = local.image_uri
  architectures = [var.architecture]
  timeout       = var.timeout
  memory_size   = var.memory_size
  kms_key_arn   = var.function_kms_key_arn

  reserved_concurrent_executions = var.reserved_concurrent_executions

  ephemeral_storage {
    size = var.ephemeral_storage_size
  }

  dynamic "environment" {
    for_each = length(local.environment_variables) > 0 ? [local.environment_variables] : []
    content {
      variables = environment.value
    }
  }

  dynamic "tracing_config" {
    for_each = var.tracing_mode == null ? [] : [var.tracing_mode]
    content {
      mode = tracing_config.value
    }
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [var.vpc_subnet_ids] : []
    content {
      subnet_ids         = vpc_config.value
      security_group_ids = local.security_group_ids
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.create_role || var.role_arn != null
      error_message = "Set role_arn when create_role is false."
    }
    precondition {
      condition     = var.create_image || var.image_uri != null
      error_message = "Set image_uri when create_image is false."
    }
    precondition {
      condition     = !local.in_vpc || length(local.security_group_ids) > 0
      error_message = "A function in a VPC needs a security group: set create_security_group or security_group_ids."
    }
  }

  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy_attachment.basic_execution,
    aws_iam_role_policy_attachment.vpc_access,
  ]
}

resource "aws_lambda_function_event_invoke_config" "this" {
  function_name                = aws_lambda_function.this.function_name
  maximum_retry_attempts       = var.maximum_retry_attempts
  maximum_event_age_in_seconds = var.maximum_event_age_in_seconds

  dynamic "destination_config" {
    for_each = var.failure_destination_arn == null && var.success_destination_arn == null ? [] : [true]
    content {
      dynamic "on_failure" {
        for_each = var.failure_destination_arn == null ? [] : [var.failure_destination_arn]
        content {
          destination = on_failure.value
        }
      }
      dynamic "on_success" {
        for_each = var.success_destination_arn == null ? [] : [var.success_destination_arn]
        content {
          destination = on_success.value
        }
      }
    }
  }
}
