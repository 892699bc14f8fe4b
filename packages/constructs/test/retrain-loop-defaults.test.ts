// RetrainLoop on a bare Stack: its defaults are the retrain package's (one default, one place: #14
// finding 9) — the function's RETRAIN_COOLDOWN_MINUTES, RETRAIN_MAX_ATTEMPTS and RECHECK_INTERVAL_MINUTES
// and the re-check schedule — and an explicit cooldown still wins.
import * as path from 'node:path';
import { CONFIG_DEFAULTS } from '@mlops-templates/retrain';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ProjectNames } from '../src/project-names';
import { RetrainLoop, type RetrainLoopProps } from '../src/retrain-loop';

const HANDLER = path.join(__dirname, '..', '..', 'retrain', 'src', 'handler.ts');

function synth(overrides: Partial<RetrainLoopProps> = {}): Template {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key');
  new RetrainLoop(stack, 'Retrain', {
    names: new ProjectNames('demand', 'p-abcdefghijkl'),
    handlerEntry: HANDLER,
    topic: new sns.Topic(stack, 'Topic', { masterKey: key }),
    key,
    ...overrides,
  });
  return Template.fromStack(stack);
}

function environmentOf(t: Template): Record<string, string> {
  const fn = Object.values(t.findResources('AWS::Lambda::Function')).find(
    (f) => f.Properties.Environment?.Variables?.MODEL_BUILD_PIPELINE_NAME !== undefined,
  );
  return fn?.Properties.Environment.Variables as Record<string, string>;
}

describe('RetrainLoop', () => {
  test("its defaults are the retrain package's CONFIG_DEFAULTS (6 h cooldown)", () => {
    expect(RetrainLoop.DEFAULT_COOLDOWN.toMinutes()).toBe(CONFIG_DEFAULTS.cooldownMinutes);
    expect(RetrainLoop.DEFAULT_COOLDOWN.toHours()).toBe(6);
    const t = synth();
    expect(environmentOf(t)).toMatchObject({
      RETRAIN_COOLDOWN_MINUTES: String(CONFIG_DEFAULTS.cooldownMinutes),
      RETRAIN_MAX_ATTEMPTS: String(CONFIG_DEFAULTS.maxAttempts),
      RECHECK_INTERVAL_MINUTES: String(CONFIG_DEFAULTS.recheckIntervalMinutes),
    });
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `rate(${CONFIG_DEFAULTS.recheckIntervalMinutes} minutes)`,
    });
  });

  test('an explicit cooldown wins; a bad maxAttempts names the property', () => {
    expect(environmentOf(synth({ cooldown: Duration.minutes(90) })).RETRAIN_COOLDOWN_MINUTES).toBe('90');
    expect(() => synth({ maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});
