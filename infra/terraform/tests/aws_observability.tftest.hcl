# What an operator of target aws watches (terraform test with a mocked AWS provider, plans only; check.sh runs it).

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

variables {
  target                   = "aws"
  shortener_code_key       = "7345912387412398741"
  shortener_visitor_secret = "test-only-visitor-secret-0123456789abcdef"
}

run "one_dashboard_shows_every_function_and_every_dead_letter_queue" {
  command = plan

  assert {
    condition     = aws_cloudwatch_dashboard.deployment[0].dashboard_name == "blocks"
    error_message = "the deployment's dashboard is named by its prefix"
  }
  # Every function of the stack (the policies output names them all) has its Lambda metrics on the dashboard.
  assert {
    condition = alltrue([for name in keys(output.function_policies) : anytrue([for widget in jsondecode(aws_cloudwatch_dashboard.deployment[0].dashboard_body).widgets :
    contains([for metric in try(widget.properties.metrics, []) : try(metric[3], "")], name) if strcontains(widget.properties.title, "invocations")])])
    error_message = "every function must have its invocations, errors and throttles on the dashboard"
  }
  assert {
    condition = toset([for metric in one([for widget in jsondecode(aws_cloudwatch_dashboard.deployment[0].dashboard_body).widgets : widget.properties.metrics if strcontains(widget.properties.title, "dead-letter")]) : metric[3]]) == toset(
    ["blocks-clicks-failed", "blocks-clicks-spool-dlq", "blocks-uploads-events-dlq", "blocks-jobs-runs-dlq", "blocks-webhooks-delivery-dlq"])
    error_message = "every dead-letter queue must be on the dashboard"
  }
  assert {
    condition     = alltrue([for widget in jsondecode(aws_cloudwatch_dashboard.deployment[0].dashboard_body).widgets : alltrue([for metric in widget.properties.metrics : metric[0] == "blocks" if !startswith(metric[0], "AWS/")])])
    error_message = "the capabilities' own metrics are read from the deployment's namespace (its prefix)"
  }
}

run "lateness_failure_rate_and_fail_open_alarm" {
  command = plan
  variables {
    alarm_actions = ["arn:aws:sns:us-east-1:123456789012:ops"]
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.scheduler_lateness.extended_statistic == "p99" && aws_cloudwatch_metric_alarm.scheduler_lateness.threshold == 2000 && aws_cloudwatch_metric_alarm.scheduler_lateness.namespace == "blocks"
    error_message = "the scheduler's lateness alarm watches p99 against scheduler_lateness_alarm_ms"
  }
  assert {
    condition     = one([for q in aws_cloudwatch_metric_alarm.webhook_failures.metric_query : q.expression if q.return_data == true]) == "IF(attempts >= 20, 100 * failed / attempts, 0)" && aws_cloudwatch_metric_alarm.webhook_failures.threshold == 50
    error_message = "the webhook alarm watches the share of failed attempts"
  }
  assert {
    condition = alltrue([for alarm in [aws_cloudwatch_metric_alarm.scheduler_lateness, aws_cloudwatch_metric_alarm.webhook_failures, aws_cloudwatch_metric_alarm.limiter_fail_open] :
    alarm.alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:ops"])])
    error_message = "the alarms notify alarm_actions"
  }
}

run "local_has_no_dashboard" {
  command = plan
  variables {
    target = "local"
  }
  assert {
    condition     = length(aws_cloudwatch_dashboard.deployment) == 0
    error_message = "only target aws gets a dashboard (the local cloud collects no metrics)"
  }
}
