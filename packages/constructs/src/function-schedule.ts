// An EventBridge Scheduler schedule that runs one of the project's functions, with its own execution
// role (may invoke that function and decrypt the schedule with the project key). Used by the synthetic
// data generator and the tabular traffic sender; created in the caller's scope under the ids
// `SchedulerRole` and `Schedule`, so the resources keep the logical ids they had when each construct made
// them itself.
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { ProjectNames } from './project-names';

/** What {@link scheduleFunction} needs. */
export interface FunctionScheduleOptions {
  /** Names of the project. */
  readonly names: ProjectNames;
  /** The function the schedule runs. */
  readonly fn: lambda.IFunction;
  /** The project key (encrypts the schedule). */
  readonly key: kms.IKey;
  /** Purpose: the schedule is `sagemaker-<id>-<purpose>`, its role `sagemaker-<id>-<purpose>-schedule`. */
  readonly purpose: string;
  /** `rate(<n> minute[s]|hour[s])`. */
  readonly schedule: string;
  /** What the role lets the scheduler do (its description). */
  readonly roleDescription: string;
  /** What each run does (the schedule's description). */
  readonly scheduleDescription: string;
}

/** The rate expressions a function schedule takes (the handlers catch up by themselves). */
const RATE = /^rate\([1-9][0-9]* (minute|minutes|hour|hours)\)$/;

/** Whether `schedule` is a rate the function schedules take; the error names the property. */
export function validateFunctionSchedule(property: string, schedule: string): void {
  if (!RATE.test(schedule)) {
    throw new Error(`${property}: must be rate(<n> minute[s]|hour[s]), got '${schedule}'`);
  }
}

/** Creates the schedule and its role in `scope`. */
export function scheduleFunction(
  scope: Construct,
  options: FunctionScheduleOptions,
): { readonly role: iam.Role; readonly schedule: scheduler.CfnSchedule } {
  validateFunctionSchedule('schedule', options.schedule);
  const { names, fn, key } = options;
  const role = new iam.Role(scope, 'SchedulerRole', {
    roleName: names.short(`${options.purpose}-schedule`),
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
    description: options.roleDescription,
  });
  fn.grantInvoke(role);
  // EventBridge Scheduler User Guide, "Encryption at rest": with a customer managed key the
  // schedule's execution role needs kms:Decrypt on it.
  key.grantDecrypt(role);
  const schedule = new scheduler.CfnSchedule(scope, 'Schedule', {
    name: names.short(options.purpose),
    description: options.scheduleDescription,
    scheduleExpression: options.schedule,
    flexibleTimeWindow: { mode: 'OFF' },
    kmsKeyArn: key.keyArn,
    target: {
      arn: fn.functionArn,
      roleArn: role.roleArn,
      // A failed run leaves its state; the next scheduled run catches up, so one retry is enough.
      retryPolicy: { maximumRetryAttempts: 1, maximumEventAgeInSeconds: 900 },
    },
  });
  return { role, schedule };
}
