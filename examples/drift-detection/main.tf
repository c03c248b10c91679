# Nightly drift detection: a scheduled plan of the bundled code (never an apply), its result sent to EventBridge,
# a rule that notifies when the plan found changes or drift, and alarms when a run fails or nears the timeout.
variable "notification_email" {
  description = "Where drift and alarm notifications go (confirm the SNS subscription email)."
  type        = string
}

variable "state_bucket" {
  description = "S3 bucket holding the watched configuration's state."
  type        = string
}

data "aws_cloudwatch_event_bus" "default" {
  name = "default"
}

module "terraform_runner" {
  source = "../../packages/module"

  name              = "terraform-drift-detector"
  bundled_code_path = "${path.module}/../bundled-code/infrastructure"

  schedules = [{
    name                = "nightly-plan"
    description         = "Plan the bundled code every night at 02:00 UTC"
    schedule_expression = "cron(0 2 * * ? *)"
    payload = {
      protocol = "tf-lambda/v1"
      command  = "plan"
      backend  = { type = "s3", config = { bucket = var.state_bucket, key = "example.tfstate", region = var.region } }
      options  = { lock = false }
    }
  }]

  # Successful runs (with their typed result) go to EventBridge; failed ones raise the Errors alarm.
  success_destination_arn = data.aws_cloudwatch_event_bus.default.arn
  create_alarms           = true
  alarm_sns_topic_arn     = aws_sns_topic.drift.arn

  # Read-only: a plan refreshes state and reads the resources, it never changes them.
  policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}

resource "aws_sns_topic" "drift" {
  name              = "terraform-drift"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "email" {
  topic_arn = aws_sns_topic.drift.arn
  protocol  = "email"
  endpoint  = var.notification_email
}

# The runner's result is the Lambda destination event's responsePayload: match plans that found something.
resource "aws_cloudwatch_event_rule" "drift_found" {
  name        = "terraform-drift-found"
  description = "A scheduled tf-lambda plan found changes or drift"
  event_pattern = jsonencode({
    source        = ["lambda"]
    "detail-type" = ["Lambda Function Invocation Result - Success"]
    resources     = [{ prefix = module.terraform_runner.function_arn }]
    detail = {
      responsePayload = {
        "$or" = [
          { plan = { hasChanges = [true] } },
          { plan = { drift = { address = [{ exists = true }] } } },
        ]
      }
    }
  })
}

resource "aws_cloudwatch_event_target" "drift_found" {
  rule      = aws_cloudwatch_event_rule.drift_found.name
  target_id = "notify"
  arn       = aws_sns_topic.drift.arn

  input_transformer {
    input_paths = {
      add     = "$.detail.responsePayload.plan.add"
      change  = "$.detail.responsePayload.plan.change"
      destroy = "$.detail.responsePayload.plan.destroy"
    }
    input_template = "\"Drift found by the nightly plan: <add> to add, <change> to change, <destroy> to destroy.\""
  }
}

data "aws_iam_policy_document" "drift_topic" {
  statement {
    sid       = "EventBridgePublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.drift.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.drift_found.arn]
    }
  }

  statement {
    sid       = "CloudWatchAlarms"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.drift.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }
}

resource "aws_sns_topic_policy" "drift" {
  arn    = aws_sns_topic.drift.arn
  policy = data.aws_iam_policy_document.drift_topic.json
}

output "function_name" {
  description = "The drift detector's function."
  value       = module.terraform_runner.function_name
}

output "schedule_rule_arns" {
  description = "The nightly schedule's rule."
  value       = module.terraform_runner.schedule_rule_arns
}
