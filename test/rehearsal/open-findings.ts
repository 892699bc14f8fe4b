// Findings the rehearsal reports that are known and not fixed yet, each with the issue that tracks it.
// The rehearsal fails on any finding not listed here, and on any entry that no longer matches a
// finding (fixed: remove it), so this list can only shrink.

/** A tracked, not yet fixed finding. */
export interface OpenFinding {
  /** Matched against the finding's key (`<kind> <principal> <action> <label>`, parameter set removed). */
  readonly pattern: RegExp;
  readonly tracking: string;
  /** Only in these parameter sets (default: every set). */
  readonly sets?: readonly string[];
}

const f = (pattern: RegExp, tracking: string, sets?: string[]): OpenFinding => ({ pattern, tracking, sets });

export const OPEN_FINDINGS: readonly OpenFinding[] = [
  f(
    /^named RetrainHandlerRole sagemaker:(StartPipelineExecution|ListPipelineExecutions|ListPipelineParametersForExecution|DescribePipelineExecution) /,
    '#13 finding 16 (upper-case project name)',
    ['upper-case-name'],
  ),
  f(
    /^named RetrainHandlerRole cloudwatch:PutMetricData /,
    '#13 rehearsal: retrain metric namespace condition vs the "*" grant (to investigate)',
  ),
  f(
    /^dead-grant (CodePipelineRole|CodeBuildRole|RepositorySeedingRole) - .*(codestar-connections|codeconnections):UseConnection/,
    '#19 finding 2 / #13 finding 6 (connection ARN default and boundary)',
  ),
  f(
    /^dead-grant CodePipelineRole - .*cloudformation:(SetStackPolicy|GetStackPolicy|ValidateTemplate) /,
    '#13 dead grants from the aws-cdk-lib CloudFormation deploy action',
  ),
  f(
    /^dead-grant RetrainHandlerRole - .*ssm:DescribeParameters accepts only/,
    '#13 dead grant (DescribeParameters on an ARN)',
  ),
  f(
    /^cloudformation LaunchRole codestar-connections:PassConnection /,
    '#19 finding 5 (launch role PassConnection for the pipelines)',
    ['codeconnection'],
  ),
];
