locals {
  # Which action sends to each kind of asynchronous-invocation destination.
  destination_actions = {
    sqs    = "sqs:SendMessage"
    sns    = "sns:Publish"
    lambda = "lambda:InvokeFunction"
    events = "events:PutEvents"
    s3     = "s3:PutObject"
  }
  destinations = [for arn in compact([var.failure_destination_arn, var.success_destination_arn]) : {
    arn     = split(":", arn)[2] == "s3" ? "${arn}/*" : arn
    action  = local.destination_actions[split(":", arn)[2]]
    service = split(":", arn)[2]
  }]
}

data "aws_iam_policy_document" "assume_role" {
  count = var.create_role ? 1 : 0

  statement {
    sid     = "LambdaAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  count = var.create_role ? 1 : 0

  name                 = coalesce(var.role_name, var.name)
  description          = "Execution role of the tf-lambda function ${var.name}"
  assume_role_policy   = data.aws_iam_policy_document.assume_role[0].json
  permissions_boundary = var.role_permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role_policy_attachment" "basic_execution" {
  count = var.create_role ? 1 : 0

  role       = aws_iam_role.this[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy_attachment" "vpc_access" {
  count = var.create_role && local.in_vpc ? 1 : 0

  role       = aws_iam_role.this[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy_attachment" "tracing" {
  count = var.create_role && var.tracing_mode == "Active" ? 1 : 0

  role       = aws_iam_role.this[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"
}

resource "aws_iam_role_policy_attachment" "extra" {
  count = var.create_role ? length(var.policy_arns) : 0

  role       = aws_iam_role.this[0].name
  policy_arn = var.policy_arns[count.index]
}

resource "aws_iam_role_policy" "extra" {
  count = var.create_role && var.policy_json != null ? 1 : 0

  name   = "extra"
  role   = aws_iam_role.this[0].id
  policy = var.policy_json
}

# What the runner itself needs: other accounts' roles, the staging bucket, the invoke destinations.
data "aws_iam_policy_document" "runner" {
  count = var.create_role ? 1 : 0

  dynamic "statement" {
    for_each = length(var.assume_role_arns) > 0 ? [var.assume_role_arns] : []
    content {
      sid       = "AssumeTargetAccountRoles"
      actions   = ["sts:AssumeRole", "sts:TagSession"]
      resources = statement.value
    }
  }

  dynamic "statement" {
    for_each = var.create_bucket ? [aws_s3_bucket.this[0].arn] : []
    content {
      sid       = "StagingBucketList"
      actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.create_bucket ? [aws_s3_bucket.this[0].arn] : []
    content {
      sid       = "StagingBucketObjects"
      actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"]
      resources = ["${statement.value}/*"]
    }
  }

  dynamic "statement" {
    for_each = var.create_bucket && var.bucket_kms_key_arn != null ? [var.bucket_kms_key_arn] : []
    content {
      sid       = "StagingBucketKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.destinations
    content {
      sid       = "InvokeDestination${title(statement.value.service)}${statement.key}"
      actions   = [statement.value.action]
      resources = [statement.value.arn]
    }
  }
}

resource "aws_iam_role_policy" "runner" {
  count = var.create_role && (length(var.assume_role_arns) > 0 || var.create_bucket || length(local.destinations) > 0) ? 1 : 0

  name   = "tf-lambda-runner"
  role   = aws_iam_role.this[0].id
  policy = data.aws_iam_policy_document.runner[0].json
}
