// The Model Monitor schedule pattern accepts the hourly and daily forms only.
import { MODEL_MONITOR_SCHEDULE_ALLOWED_PATTERN } from '../src/model-monitor-schedule';

const pattern = new RegExp(MODEL_MONITOR_SCHEDULE_ALLOWED_PATTERN);

describe('MODEL_MONITOR_SCHEDULE_ALLOWED_PATTERN', () => {
  test.each([
    'rate(1 hour)',
    'rate(1 day)',
    'cron(0 * ? * * *)',
    'cron(0 0 ? * * *)',
    'cron(0 23 ? * * *)',
    'cron(0 07 ? * * *)',
  ])('accepts %p', (s) => expect(pattern.test(s)).toBe(true));
  test.each([
    'rate(2 hours)',
    'rate(30 minutes)',
    'rate(1 hours)',
    'cron(0 24 ? * * *)',
    'cron(15 * ? * * *)',
    'cron(0 */2 ? * * *)',
    'cron(0 * ? * * *) ',
    '',
  ])('refuses %p', (s) => expect(pattern.test(s)).toBe(false));
});
