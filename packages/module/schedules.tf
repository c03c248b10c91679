locals {
  # A string payload is taken as JSON text already; anything else is encoded.
  schedules = { for schedule in var.schedules : schedule.name => merge(schedule, {
    input = can(tostring(schedule.payload)) ? tostring(schedule.payload) : jsonencode(schedule.payload)
  }) }
}

resource "aws_cloudwatch_event_rule" "schedule" {
  for_each = local.schedules

  name                = substr("${var.name}-${each.key}", 0, 64)
  description         = coalesce(each.value.description, "tf-lambda schedule ${each.key} of ${var.name}")
  schedule_expression = each.value.schedule_expression
  state               = each.value.enabled ? "ENABLED" : "DISABLED"
  tags                = local.tags
}

resource "aws_cloudwatch_event_target" "schedule" {
  for_each = local.schedules

  rule      = aws_cloudwatch_event_rule.schedule[each.key].name
  target_id = "tf-lambda"
  arn       = aws_lambda_function.this.arn
  input     = each.value.input
}

resource "aws_lambda_permission" "schedule" {
  for_each = local.schedules

  statement_id  = substr("AllowSchedule-${each.key}", 0, 100)
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.schedule[each.key].arn
}
