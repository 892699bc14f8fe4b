// The cfn-lint runner: a clean template has no findings; a broken one is reported (negative control);
// an empty file list is an error, never a pass.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CFN_LINT, cfnLint, describeWithTool } from '../src';

test('an empty file list is an error, not a pass', () => {
  expect(() => cfnLint([])).toThrow(/files is empty/);
});

test('a command that cannot run is an error naming it', () => {
  expect(() => cfnLint(['x.json'], { command: 'no-such-cfn-lint' })).toThrow(
    /could not run no-such-cfn-lint/,
  );
});

describeWithTool(CFN_LINT, 'cfnLint', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-cfn-lint-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, template: unknown): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(template));
    return file;
  };

  test('a clean template: status 0, no findings', () => {
    const file = write('clean.json', {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: {} } },
    });
    expect(cfnLint([file])).toEqual({ status: 0, findings: [] });
  });

  test('negative control: a resource missing a required property is reported', () => {
    const file = write('broken.json', {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Queue: { Type: 'AWS::SQS::QueuePolicy', Properties: {} } },
    });
    const result = cfnLint([file]);
    expect(result.status).not.toBe(0);
    expect(result.findings.join('\n')).toMatch(/broken\.json.*'PolicyDocument' is a required property/);
  });
});
