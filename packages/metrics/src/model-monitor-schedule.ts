// The schedules SageMaker Model Monitor accepts, as the tabular template's `MonitoringSchedule`
// parameter pattern: Model Monitor runs hourly or daily only (SageMaker API Reference, "ScheduleConfig":
// `cron(0 * ? * * *)` hourly, `cron(0 [00-23] ? * * *)` daily), and the tabular monitoring seed also
// takes `rate(1 hour)` and `rate(1 day)` (translated to those crons by its config.ts `monitorSchedule`).

/** `AllowedPattern` of the tabular template's `MonitoringSchedule` parameter. */
export const MODEL_MONITOR_SCHEDULE_ALLOWED_PATTERN =
  '^(rate\\(1 hour\\)|rate\\(1 day\\)|cron\\(0 \\* \\? \\* \\* \\*\\)|cron\\(0 ([01]?[0-9]|2[0-3]) \\? \\* \\* \\*\\))$';

/** What the parameter's `ConstraintDescription` says. */
export const MODEL_MONITOR_SCHEDULE_DESCRIPTION =
  'rate(1 hour), rate(1 day), cron(0 * ? * * *) or cron(0 H ? * * *) with H 0-23: Model Monitor runs hourly or daily only';
