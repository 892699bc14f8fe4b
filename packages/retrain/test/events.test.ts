// Event parsing: every real sample normalises to the right trigger; schedules become re-checks;
// anything malformed gives a readable error instead of an exception.
import { parseAwsTimestamp, parseRetrainEvent } from '../src/events';
import { FIXTURES, loadEvent } from './support/helpers';

describe('parseRetrainEvent on the AWS samples', () => {
  test.each([
    [
      FIXTURES.singleMetric,
      'eventbridge',
      'ServerCpuTooHigh',
      'metric',
      'OK',
      '2019-10-02T17:04:40.989Z',
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
    ],
    [
      FIXTURES.metricMath,
      'eventbridge',
      'TotalNetworkTrafficTooHigh',
      'metric',
      'INSUFFICIENT_DATA',
      '2019-10-02T17:20:48.554Z',
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:TotalNetworkTrafficTooHigh',
    ],
    [
      FIXTURES.anomaly,
      'eventbridge',
      'EC2 CPU Utilization Anomaly',
      'metric',
      'OK',
      '2019-10-03T16:00:04.653Z',
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:EC2 CPU Utilization Anomaly',
    ],
    [
      FIXTURES.compositeSuppressed,
      'eventbridge',
      'ServiceAggregatedAlarm',
      'composite',
      'OK',
      '2022-07-22T15:57:45.394Z',
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServiceAggregatedAlarm',
    ],
    [
      FIXTURES.actionMetric,
      'alarm-action',
      'lambda-demo-metric-alarm',
      'metric',
      'INSUFFICIENT_DATA',
      '2023-08-04T12:36:15.490Z',
      'arn:aws:cloudwatch:us-east-1:444455556666:alarm:lambda-demo-metric-alarm',
    ],
    [
      FIXTURES.actionComposite,
      'alarm-action',
      'CompositeDemo.Main',
      'composite',
      'ALARM',
      '2023-08-04T12:56:46.138Z',
      'arn:aws:cloudwatch:us-east-1:111122223333:alarm:SuppressionDemo.Main',
    ],
  ])('%s', (fixture, delivery, alarmName, alarmType, previousState, stateChangedAt, alarmArn) => {
    const parsed = parseRetrainEvent(loadEvent(fixture));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.trigger.kind !== 'alarm-state-change') throw new Error('not an alarm trigger');
    expect(parsed.trigger).toMatchObject({
      delivery,
      alarmName,
      alarmType,
      previousState,
      alarmArn,
      state: 'ALARM',
    });
    expect(parsed.trigger.stateChangedAt.toISOString()).toBe(stateChangedAt);
  });

  test('the suppressed composite sample carries its suppression', () => {
    const parsed = parseRetrainEvent(loadEvent(FIXTURES.compositeSuppressed));
    expect(
      parsed.ok && parsed.trigger.kind === 'alarm-state-change' && parsed.trigger.actionsSuppressedBy,
    ).toBe('WaitPeriod');
  });

  test('without resources, the ARN is built from account, region and name', () => {
    const event = loadEvent(FIXTURES.singleMetric);
    delete event.resources;
    const parsed = parseRetrainEvent(event);
    expect(parsed.ok && parsed.trigger.kind === 'alarm-state-change' && parsed.trigger.alarmArn).toBe(
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
    );
  });
});

describe('re-check triggers', () => {
  test('EventBridge Scheduled Event keeps its time', () => {
    const parsed = parseRetrainEvent({
      version: '0',
      id: '89d1a02d-5ec7-412e-82f5-13505f849b41',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: '2026-03-01T12:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:123456789012:rule/recheck'],
      detail: {},
    });
    expect(parsed).toEqual({
      ok: true,
      trigger: {
        kind: 'recheck',
        delivery: 'eventbridge-schedule',
        scheduledTime: new Date('2026-03-01T12:00:00Z'),
      },
    });
  });

  test('EventBridge Scheduler input, with and without the scheduled time', () => {
    expect(parseRetrainEvent({ action: 'recheck' })).toEqual({
      ok: true,
      trigger: { kind: 'recheck', delivery: 'scheduler-input', scheduledTime: undefined },
    });
    const parsed = parseRetrainEvent({ action: 'recheck', scheduledTime: '2026-03-01T13:00:00Z' });
    expect(
      parsed.ok && parsed.trigger.kind === 'recheck' && parsed.trigger.scheduledTime?.toISOString(),
    ).toBe('2026-03-01T13:00:00.000Z');
  });
});

describe('malformed input', () => {
  const brokenState = (): Record<string, unknown> => {
    const event = loadEvent(FIXTURES.singleMetric);
    delete ((event.detail as Record<string, unknown>).state as Record<string, unknown>).timestamp;
    return event;
  };
  const badTimestamp = (): Record<string, unknown> => {
    const event = loadEvent(FIXTURES.actionMetric);
    ((event.alarmData as Record<string, unknown>).state as Record<string, unknown>).timestamp = 'yesterday';
    return event;
  };
  const badArn = (): Record<string, unknown> => ({
    ...loadEvent(FIXTURES.actionMetric),
    alarmArn: 'not-an-arn',
  });

  test.each([
    ['null', null, /expected a JSON object, got object/],
    ['an array', [1], /got an array/],
    ['a string', 'ALARM', /got string/],
    ['an empty object', {}, /unrecognised event/],
    [
      'another service event',
      { 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2' },
      /unrecognised/,
    ],
    ['an alarm event without state.timestamp', brokenState(), /detail\.state\.timestamp/],
    [
      'an alarm action with a bad timestamp',
      badTimestamp(),
      /alarmData\.state\.timestamp: not an ISO-8601 timestamp/,
    ],
    ['an alarm action with a bad ARN', badArn(), /alarmArn: is not a CloudWatch alarm ARN/],
    ['a scheduler input with another action', { action: 'retrain-now' }, /bad scheduler input: action/],
  ])('%s', (_label, input, message) => {
    const parsed = parseRetrainEvent(input);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(message);
  });
});

describe('parseAwsTimestamp', () => {
  test('CloudWatch "+0000" and EventBridge "Z" forms are the same instant', () => {
    expect(parseAwsTimestamp('2023-08-04T12:56:46.138+0000')?.toISOString()).toBe('2023-08-04T12:56:46.138Z');
    expect(parseAwsTimestamp('2023-08-04T14:56:46.138+0200')?.toISOString()).toBe('2023-08-04T12:56:46.138Z');
    expect(parseAwsTimestamp('2019-10-03T16:00:04Z')?.toISOString()).toBe('2019-10-03T16:00:04.000Z');
  });
  test('rejects non-ISO text and impossible dates', () => {
    expect(parseAwsTimestamp('04/08/2023')).toBeUndefined();
    expect(parseAwsTimestamp('2023-13-45T99:00:00Z')).toBeUndefined();
  });
});
