locals {
  create_alarm_topic = var.create_alarms && var.alarm_sns_topic_arn == null
  alarm_topic_arn    = local.create_alarm_topic ? aws_sns_topic.alarms[0].arn : var.alarm_sns_topic_arn
}

resource "aws_sns_topic" "alarms" {
  count = local.create_alarm_topic ? 1 : 0

  name              = "${var.name}-alarms"
  kms_master_key_id = var.alarm_sns_topic_kms_key_id
  tags              = local.tags
}

# A failed, rejected or interrupted run is a function error: any error is worth a look.
resource "aws_cloudwatch_metric_alarm" "errors" {
  count = var.create_alarms ? 1 : 0

  alarm_name          = "${var.name}-errors"
  alarm_description   = "tf-lambda function ${var.name} reported errors (failed, rejected or interrupted runs)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarm_errors_threshold
  period              = var.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  treat_missing_data  = "notBreaching"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  alarm_actions       = [local.alarm_topic_arn]
  ok_actions          = [local.alarm_topic_arn]
  tags                = local.tags
}

# Runs close to the timeout are one step from being interrupted.
resource "aws_cloudwatch_metric_alarm" "duration" {
  count = var.create_alarms ? 1 : 0

  alarm_name          = "${var.name}-duration-near-timeout"
  alarm_description   = "tf-lambda function ${var.name} ran longer than ${var.alarm_duration_threshold_percent}% of its ${var.timeout} s timeout."
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  statistic           = "Maximum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = floor(var.timeout * 1000 * var.alarm_duration_threshold_percent / 100)
  period              = var.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  treat_missing_data  = "notBreaching"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  alarm_actions       = [local.alarm_topic_arn]
  ok_actions          = [local.alarm_topic_arn]
  tags                = local.tags
}
