// A CodeBuild project a pipeline runs before its CloudFormation deploy actions: a stack whose
// first creation failed is left in ROLLBACK_COMPLETE, where CloudFormation accepts no update, so the
// deploy action (CREATE_UPDATE) would fail on every later run. This project deletes such a stack —
// and only such a stack — so the deploy action can create it again.
//
// CloudFormation User Guide, "Stack status codes": ROLLBACK_COMPLETE follows a failed stack creation
// whose resources were all removed; the stack can only be deleted. Every other status is left alone
// (a failed update rolls back to UPDATE_ROLLBACK_COMPLETE, which stays updatable; an
// UPDATE_ROLLBACK_FAILED stack may hold a live endpoint and needs a person).
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Environment variable holding the space-separated names of the stacks to check. */
export const STACK_NAMES_VARIABLE = 'STACK_NAMES';

/**
 * The recovery script (bash, AWS CLI of the CodeBuild image). A stack that does not exist yet is
 * skipped; any other DescribeStacks error fails the build with the error.
 */
export const RECOVER_STACKS_SCRIPT = [
  'set -euo pipefail',
  `for stack in $${STACK_NAMES_VARIABLE}; do`,
  '  if ! status=$(aws cloudformation describe-stacks --stack-name "$stack" --query "Stacks[0].StackStatus" --output text 2>&1); then',
  '    if printf "%s" "$status" | grep -q "does not exist"; then echo "$stack: not created yet"; continue; fi',
  '    echo "$stack: DescribeStacks failed: $status" >&2',
  '    exit 1',
  '  fi',
  '  if [ "$status" = "ROLLBACK_COMPLETE" ]; then',
  '    echo "$stack: ROLLBACK_COMPLETE (its creation failed and was rolled back): deleting it so the deploy action can create it again"',
  '    aws cloudformation delete-stack --stack-name "$stack"',
  '    aws cloudformation wait stack-delete-complete --stack-name "$stack"',
  '    echo "$stack: deleted"',
  '  else',
  '    echo "$stack: $status (left as it is)"',
  '  fi',
  'done',
].join('\n');

/** Properties of {@link StackRecoveryProject}. */
export interface StackRecoveryProjectProps {
  /** The CodeBuild project name (also names its log group `/aws/codebuild/<name>`). */
  readonly projectName: string;
  /** The stacks to check, by name (tokens allowed). */
  readonly stackNames: string[];
  /** The role the build runs as; receives DescribeStacks and DeleteStack on exactly these stacks. */
  readonly role: iam.IRole;
  /** Key encrypting the build's artifacts and logs. */
  readonly encryptionKey: kms.IKey;
  /**
   * Retention of the build logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Deletes the given stacks when (and only when) they are in ROLLBACK_COMPLETE. */
export class StackRecoveryProject extends Construct {
  /** The CodeBuild project (for a `CodeBuildAction`). */
  public readonly project: codebuild.PipelineProject;

  constructor(scope: Construct, id: string, props: StackRecoveryProjectProps) {
    super(scope, id);
    if (props.stackNames.length === 0) throw new Error('stackNames: at least one stack is required');
    if (props.projectName.length === 0) throw new Error('projectName: must not be empty');
    const stack = Stack.of(this);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/codebuild/${props.projectName}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.project = new codebuild.PipelineProject(this, 'Project', {
      projectName: props.projectName,
      description: 'Deletes a stack of this pipeline left in ROLLBACK_COMPLETE so it can be created again',
      role: props.role,
      encryptionKey: props.encryptionKey,
      buildSpec: codebuild.BuildSpec.fromObject({
        version: '0.2',
        env: { shell: 'bash' },
        phases: { build: { commands: [RECOVER_STACKS_SCRIPT] } },
      }),
      environment: {
        buildImage: codebuild.LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0,
        computeType: codebuild.ComputeType.SMALL,
        environmentVariables: { [STACK_NAMES_VARIABLE]: { value: props.stackNames.join(' ') } },
      },
      timeout: Duration.minutes(30),
      logging: { cloudWatch: { logGroup } },
    });
    // The deletion itself runs as the stack's service role: CloudFormation uses the role associated
    // with the stack for every later operation, also for callers who may not pass it (CloudFormation
    // User Guide, "CloudFormation service role"). So no iam:PassRole here.
    props.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // One statement per project on a shared role: the Sid must be unique in the policy.
        sid: `RecoverRolledBackStacks${id.replace(/[^A-Za-z0-9]/g, '')}`,
        actions: ['cloudformation:DescribeStacks', 'cloudformation:DeleteStack'],
        resources: props.stackNames.map((name) =>
          stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${name}/*` }),
        ),
      }),
    );
  }
}
