// StackRecoveryProject on a bare Stack: the project and its grants, and the recovery script run
// with a fake `aws` that plays CloudFormation (deletes only a ROLLBACK_COMPLETE stack, skips a
// missing one, fails on any other DescribeStacks error).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RECOVER_STACKS_SCRIPT, StackRecoveryProject } from '../src/stack-recovery-project';

function stackWith(stackNames: string[]): { stack: Stack; role: iam.Role } {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const role = new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
  });
  new StackRecoveryProject(stack, 'Recovery', {
    projectName: 'sagemaker-p-abc-recover',
    stackNames,
    role,
    encryptionKey: new kms.Key(stack, 'Key'),
  });
  return { stack, role };
}

describe('StackRecoveryProject', () => {
  test('a bash build with the stack names, DescribeStacks/DeleteStack on exactly those stacks', () => {
    const t = Template.fromStack(stackWith(['a-deploy-staging', 'a-deploy-prod']).stack);
    const project = Object.values(t.findResources('AWS::CodeBuild::Project'))[0];
    const spec = JSON.parse(project.Properties.Source.BuildSpec as string);
    expect(spec.env.shell).toBe('bash');
    expect(spec.phases.build.commands).toEqual([RECOVER_STACKS_SCRIPT]);
    expect(project.Properties.Environment.EnvironmentVariables).toContainEqual({
      Name: 'STACK_NAMES',
      Type: 'PLAINTEXT',
      Value: 'a-deploy-staging a-deploy-prod',
    });
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        p.Properties.PolicyDocument.Statement as Array<{
          Sid?: string;
          Action: string[];
          Resource: string[];
        }>,
    );
    const recovery = statements.find((s) => s.Sid === 'RecoverRolledBackStacksRecovery');
    expect(recovery?.Action).toEqual(['cloudformation:DescribeStacks', 'cloudformation:DeleteStack']);
    const arn = (name: string) => ({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, `:cloudformation:eu-west-1:123456789012:stack/${name}/*`],
      ],
    });
    expect(recovery?.Resource).toEqual([arn('a-deploy-staging'), arn('a-deploy-prod')]);
    // No PassRole: CloudFormation deletes with the stack's own service role.
    expect(JSON.stringify(statements)).not.toMatch(/iam:PassRole/);
  });

  test('validation names the property', () => {
    expect(() => stackWith([])).toThrow(/stackNames/);
  });
});

describe('the recovery script', () => {
  /** Runs the script with a fake aws CLI; `states` maps a stack to its status (or an error). */
  function run(states: Record<string, string>): { status: number | null; out: string; calls: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recover-'));
    const log = path.join(dir, 'calls.log');
    const cases = Object.entries(states)
      .map(([name, s]) =>
        s.startsWith('error:')
          ? `    ${name}) echo "${s.slice(6)}" >&2; exit 254;;`
          : `    ${name}) echo "${s}";;`,
      )
      .join('\n');
    fs.writeFileSync(
      path.join(dir, 'aws'),
      [
        '#!/usr/bin/env bash',
        `echo "$*" >> ${log}`,
        'stack=""; prev=""; for a in "$@"; do [ "$prev" = "--stack-name" ] && stack="$a"; prev="$a"; done',
        'if [ "$2" = "describe-stacks" ]; then',
        '  case "$stack" in',
        cases,
        '    *) echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id $stack does not exist" >&2; exit 254;;',
        '  esac',
        'fi',
        'exit 0',
      ].join('\n'),
      { mode: 0o755 },
    );
    const r = spawnSync('bash', ['-c', RECOVER_STACKS_SCRIPT], {
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${dir}:${process.env.PATH}`,
        STACK_NAMES: Object.keys(states).concat('never-created').join(' '),
      },
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: r.status, out: `${r.stdout}${r.stderr}`, calls };
  }

  test('deletes only the ROLLBACK_COMPLETE stack and waits for the deletion; skips a missing one', () => {
    const r = run({
      staging: 'ROLLBACK_COMPLETE',
      prod: 'UPDATE_ROLLBACK_COMPLETE',
      other: 'UPDATE_ROLLBACK_FAILED',
    });
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => !c.startsWith('cloudformation describe-stacks'))).toEqual([
      'cloudformation delete-stack --stack-name staging',
      'cloudformation wait stack-delete-complete --stack-name staging',
    ]);
    expect(r.out).toMatch(/never-created: not created yet/);
    expect(r.out).toMatch(/other: UPDATE_ROLLBACK_FAILED \(left as it is\)/);
  });

  test('any other DescribeStacks error fails the build with the error (negative control)', () => {
    const r = run({
      staging:
        'error:An error occurred (AccessDenied) when calling the DescribeStacks operation: not authorized',
    });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/staging: DescribeStacks failed: .*AccessDenied/);
    expect(r.calls.some((c) => c.includes('delete-stack'))).toBe(false);
  });
});

describe('StackRecoveryProject: logs and names', () => {
  test('the build log group is named for the project, kept three months, encrypted, deleted with the stack', () => {
    const t = Template.fromStack(stackWith(['a-deploy-staging']).stack);
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/aws/codebuild/sagemaker-p-abc-recover',
        RetentionInDays: 90,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      },
      DeletionPolicy: 'Delete',
    });
    t.hasResourceProperties('AWS::CodeBuild::Project', {
      Name: 'sagemaker-p-abc-recover',
      TimeoutInMinutes: 30,
      EncryptionKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
  });

  test('an empty project name is refused, naming the property', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
    });
    expect(
      () =>
        new StackRecoveryProject(stack, 'Recovery', {
          projectName: '',
          stackNames: ['a'],
          role,
          encryptionKey: new kms.Key(stack, 'Key'),
        }),
    ).toThrow(/projectName: must not be empty/);
  });
});
