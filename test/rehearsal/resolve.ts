// Resolves a CloudFormation template the way CloudFormation would for one parameter set: conditions,
// every intrinsic function (Ref, GetAtt, Join, Sub, If, Select, Split, FindInMap, Equals/Not/And/Or,
// Base64, GetAZs) and the pseudo parameters, with the physical names and ARNs each resource gets.
// Anything that cannot be resolved is collected in `unresolved` (a rehearsal failure), never guessed.
//
// Return values of Ref and GetAtt per resource type: CloudFormation User Guide, "Resource and property
// reference" (the "Return values" section of each type's page).
import { createHash } from 'node:crypto';

/** A JSON value of a template. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Where and as whom the template is deployed. */
export interface DeploymentContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly stackName: string;
  /** Parameter values; parameters not given take their Default. */
  readonly parameters: Readonly<Record<string, string>>;
}

/** A resource after resolution. */
export interface ResolvedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: JsonObject;
  /** What `Ref` returns. */
  readonly ref: string;
  /** The ARN (`Fn::GetAtt <id>.Arn` or the type's ARN), when the type has one. */
  readonly arn?: string;
}

/** A resolved template. */
export interface ResolvedTemplate {
  readonly context: DeploymentContext;
  readonly parameters: Readonly<Record<string, string>>;
  readonly conditions: Readonly<Record<string, boolean>>;
  /** Resources whose Condition holds, by logical id. */
  readonly resources: Readonly<Record<string, ResolvedResource>>;
  /** Paths of values that could not be resolved (must be empty). */
  readonly unresolved: readonly string[];
}

const NO_VALUE = Symbol('AWS::NoValue');

/** Name property and ARN form per resource type (Ref = name unless `refIsArn`). */
interface TypeNaming {
  readonly nameProperty?: string;
  readonly refIsArn?: boolean;
  /** ARN from the resource's name (and, for some types, its properties). */
  readonly arn?: (name: string, c: DeploymentContext, props: JsonObject) => string;
  /** How CloudFormation generates a name when none is given. */
  readonly lowerCaseGenerated?: boolean;
  /** The service generates the identifier (not CloudFormation from the stack and logical id). */
  readonly serviceGenerated?: (stackName: string, logicalId: string) => string;
}

/** A key id as KMS generates them (a UUID; KMS API reference, CreateKey), stable per resource. */
const kmsKeyId = (stackName: string, logicalId: string): string => {
  const h = createHash('sha256').update(`${stackName}/${logicalId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const arnOf = (
  c: DeploymentContext,
  service: string,
  resource: string,
  region = c.region,
  account = c.account,
) => `arn:${c.partition}:${service}:${region}:${account}:${resource}`;

const NAMING: Record<string, TypeNaming> = {
  'AWS::IAM::Role': {
    nameProperty: 'RoleName',
    arn: (n, c, p) => arnOf(c, 'iam', `role${typeof p.Path === 'string' ? p.Path : '/'}${n}`, ''),
  },
  'AWS::IAM::ManagedPolicy': {
    nameProperty: 'ManagedPolicyName',
    refIsArn: true,
    arn: (n, c, p) => arnOf(c, 'iam', `policy${typeof p.Path === 'string' ? p.Path : '/'}${n}`, ''),
  },
  'AWS::IAM::Policy': { nameProperty: 'PolicyName' },
  'AWS::S3::Bucket': {
    nameProperty: 'BucketName',
    lowerCaseGenerated: true,
    arn: (n, c) => arnOf(c, 's3', n, '', ''),
  },
  'AWS::KMS::Key': { serviceGenerated: kmsKeyId, arn: (n, c) => arnOf(c, 'kms', `key/${n}`) },
  'AWS::KMS::Alias': { nameProperty: 'AliasName', arn: (n, c) => arnOf(c, 'kms', n) },
  'AWS::SNS::Topic': { nameProperty: 'TopicName', refIsArn: true, arn: (n, c) => arnOf(c, 'sns', n) },
  'AWS::SNS::Subscription': { refIsArn: true, arn: (n, c) => arnOf(c, 'sns', `topic:${n}`) },
  'AWS::Lambda::Function': {
    nameProperty: 'FunctionName',
    arn: (n, c) => arnOf(c, 'lambda', `function:${n}`),
  },
  'AWS::Lambda::LayerVersion': {
    nameProperty: 'LayerName',
    refIsArn: true,
    arn: (n, c) => arnOf(c, 'lambda', `layer:${n}:1`),
  },
  'AWS::Logs::LogGroup': {
    nameProperty: 'LogGroupName',
    arn: (n, c) => arnOf(c, 'logs', `log-group:${n}:*`),
  },
  'AWS::CodeCommit::Repository': { nameProperty: 'RepositoryName', arn: (n, c) => arnOf(c, 'codecommit', n) },
  'AWS::CodeBuild::Project': { nameProperty: 'Name', arn: (n, c) => arnOf(c, 'codebuild', `project/${n}`) },
  'AWS::CodePipeline::Pipeline': { nameProperty: 'Name', arn: (n, c) => arnOf(c, 'codepipeline', n) },
  // SageMaker lower-cases names in its ARNs (SageMaker API reference, e.g. CreatePipeline → PipelineArn).
  'AWS::SageMaker::ModelPackageGroup': {
    nameProperty: 'ModelPackageGroupName',
    refIsArn: true,
    arn: (n, c) => arnOf(c, 'sagemaker', `model-package-group/${n.toLowerCase()}`),
  },
  'AWS::SageMaker::CodeRepository': {
    nameProperty: 'CodeRepositoryName',
    refIsArn: true,
    arn: (n, c) => arnOf(c, 'sagemaker', `code-repository/${n.toLowerCase()}`),
  },
  'AWS::SageMaker::Pipeline': {
    nameProperty: 'PipelineName',
    arn: (n, c) => arnOf(c, 'sagemaker', `pipeline/${n.toLowerCase()}`),
  },
  // Ref returns the ARN for these SageMaker types (CloudFormation User Guide, each type's "Return values").
  'AWS::SageMaker::Model': {
    nameProperty: 'ModelName',
    refIsArn: true,
    arn: (n, c) => arnOf(c, 'sagemaker', `model/${n.toLowerCase()}`),
  },
  'AWS::SageMaker::EndpointConfig': {
    nameProperty: 'EndpointConfigName',
    refIsArn: true,
    arn: (n, c) => arnOf(c, 'sagemaker', `endpoint-config/${n.toLowerCase()}`),
  },
  'AWS::SageMaker::ModelQualityJobDefinition': {
    nameProperty: 'JobDefinitionName',
    refIsArn: true,
    arn: (n, c) => arnOf(c, 'sagemaker', `model-quality-job-definition/${n.toLowerCase()}`),
  },
  'AWS::SageMaker::DataQualityJobDefinition': {
    nameProperty: 'JobDefinitionName',
    refIsArn: true,
    arn: (n, c) => arnOf(c, 'sagemaker', `data-quality-job-definition/${n.toLowerCase()}`),
  },
  'AWS::SageMaker::MonitoringSchedule': {
    nameProperty: 'MonitoringScheduleName',
    refIsArn: true,
    arn: (n, c) => arnOf(c, 'sagemaker', `monitoring-schedule/${n.toLowerCase()}`),
  },
  // A scalable target's ARN carries an id Application Auto Scaling generates (Service Authorization
  // Reference: Application Auto Scaling, resource type scalable-target).
  'AWS::ApplicationAutoScaling::ScalableTarget': {
    serviceGenerated: (stackName, logicalId) =>
      createHash('sha256').update(`${stackName}/${logicalId}`).digest('hex').slice(0, 36),
    arn: (n, c) => arnOf(c, 'application-autoscaling', `scalable-target/${n}`),
  },
  'AWS::SageMaker::Endpoint': {
    nameProperty: 'EndpointName',
    refIsArn: true,
    arn: (n, c) => arnOf(c, 'sagemaker', `endpoint/${n.toLowerCase()}`),
  },
  'AWS::SSM::Parameter': {
    nameProperty: 'Name',
    arn: (n, c) => arnOf(c, 'ssm', `parameter/${n.replace(/^\//, '')}`),
  },
  'AWS::Events::Rule': { nameProperty: 'Name', arn: (n, c) => arnOf(c, 'events', `rule/${n}`) },
  'AWS::Scheduler::Schedule': {
    nameProperty: 'Name',
    arn: (n, c, p) =>
      arnOf(c, 'scheduler', `schedule/${typeof p.GroupName === 'string' ? p.GroupName : 'default'}/${n}`),
  },
  'AWS::CloudWatch::Alarm': {
    nameProperty: 'AlarmName',
    arn: (n, c) => arnOf(c, 'cloudwatch', `alarm:${n}`),
  },
  // Dashboards are global: their ARN has no region (CloudWatch API reference, PutDashboard).
  'AWS::CloudWatch::Dashboard': {
    nameProperty: 'DashboardName',
    arn: (n, c) => arnOf(c, 'cloudwatch', `dashboard/${n}`, ''),
  },
  'AWS::ServiceCatalog::Portfolio': { arn: (n, c) => arnOf(c, 'catalog', `portfolio/${n}`) },
  'AWS::ServiceCatalog::CloudFormationProduct': { arn: (n, c) => arnOf(c, 'catalog', `product/${n}`) },
};

/** GetAtt attributes beyond Arn, per type. */
function attribute(
  res: { type: string; name: string; arn?: string; props: JsonObject },
  attr: string,
  c: DeploymentContext,
): string | undefined {
  if (attr === 'Arn' || attr.endsWith('Arn')) {
    if (res.type === 'AWS::IAM::Role' && attr === 'RoleId') return undefined;
    return res.arn;
  }
  switch (`${res.type}.${attr}`) {
    case 'AWS::IAM::Role.RoleId':
      return `AROA${res.name
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .slice(0, 17)}`;
    case 'AWS::S3::Bucket.DomainName':
      return `${res.name}.s3.amazonaws.com`;
    case 'AWS::S3::Bucket.RegionalDomainName':
      return `${res.name}.s3.${c.region}.amazonaws.com`;
    case 'AWS::SNS::Topic.TopicName':
      return res.name;
    case 'AWS::KMS::Key.KeyId':
      return res.name;
    case 'AWS::CodeCommit::Repository.Name':
      return res.name;
    case 'AWS::CodeCommit::Repository.CloneUrlHttp':
      return `https://git-codecommit.${c.region}.amazonaws.com/v1/repos/${res.name}`;
    case 'AWS::SageMaker::ModelPackageGroup.ModelPackageGroupArn':
      return res.arn;
    case 'AWS::SageMaker::Model.ModelName':
    case 'AWS::SageMaker::EndpointConfig.EndpointConfigName':
    case 'AWS::SageMaker::Endpoint.EndpointName':
    case 'AWS::SageMaker::MonitoringSchedule.MonitoringScheduleName':
      return res.name;
    default:
      return undefined;
  }
}

/** Resolves a template for one deployment context. */
export function resolveTemplate(template: JsonObject, context: DeploymentContext): ResolvedTemplate {
  // A Set: a resource's properties are evaluated both for its ARN and for its resolved form, and
  // each unresolvable value is reported once.
  const unresolved = new Set<string>();
  const declared = (template.Parameters ?? {}) as Record<string, JsonObject>;
  const parameters: Record<string, string> = {};
  for (const [name, decl] of Object.entries(declared)) {
    const value = context.parameters[name] ?? (decl.Default === undefined ? undefined : String(decl.Default));
    if (value === undefined) {
      unresolved.add(`Parameters.${name}: no value and no Default`);
      continue;
    }
    parameters[name] = value;
  }
  for (const name of Object.keys(context.parameters)) {
    if (!(name in declared)) unresolved.add(`Parameters.${name}: given but not declared by the template`);
  }
  const rawResources = (template.Resources ?? {}) as Record<string, JsonObject>;
  const conditionDefs = (template.Conditions ?? {}) as Record<string, Json>;
  const mappings = (template.Mappings ?? {}) as Record<string, Record<string, Record<string, Json>>>;
  const conditions: Record<string, boolean> = {};
  const resolving = new Set<string>();

  const pseudo: Record<string, string> = {
    'AWS::Partition': context.partition,
    'AWS::Region': context.region,
    'AWS::AccountId': context.account,
    'AWS::StackName': context.stackName,
    'AWS::StackId': `arn:${context.partition}:cloudformation:${context.region}:${context.account}:stack/${context.stackName}/00000000-0000-0000-0000-000000000000`,
    'AWS::URLSuffix': context.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
  };

  const condition = (name: string, path: string): boolean => {
    if (name in conditions) return conditions[name];
    if (!(name in conditionDefs)) {
      unresolved.add(`${path}: unknown condition ${name}`);
      return false;
    }
    const value = evaluate(conditionDefs[name], `Conditions.${name}`);
    conditions[name] = value === true;
    return conditions[name];
  };

  const names: Record<string, { name: string; arn?: string }> = {};
  const nameOf = (
    logicalId: string,
    path: string,
  ): { name: string; arn?: string; type: string; props: JsonObject } | undefined => {
    const raw = rawResources[logicalId];
    if (!raw) {
      unresolved.add(`${path}: Ref/GetAtt to unknown resource ${logicalId}`);
      return undefined;
    }
    const type = String(raw.Type);
    const naming = NAMING[type.startsWith('Custom::') ? 'Custom' : type] ?? {};
    const props = (raw.Properties ?? {}) as JsonObject;
    if (!names[logicalId]) {
      if (resolving.has(logicalId)) {
        unresolved.add(`${path}: circular name resolution through ${logicalId}`);
        return undefined;
      }
      resolving.add(logicalId);
      let name: string;
      const declaredName = naming.nameProperty ? props[naming.nameProperty] : undefined;
      if (declaredName !== undefined) {
        const value = evaluate(declaredName, `Resources.${logicalId}.Properties.${naming.nameProperty}`);
        name = typeof value === 'string' ? value : `${logicalId}-unresolved`;
      } else if (naming.serviceGenerated) {
        name = naming.serviceGenerated(context.stackName, logicalId);
      } else {
        // CloudFormation's generated physical names: <stack>-<logical id>-<random suffix>.
        const generated = `${context.stackName}-${logicalId}-GENERATED1A2B`;
        name = naming.lowerCaseGenerated ? generated.toLowerCase().slice(0, 63) : generated;
      }
      const resolvedProps = naming.arn
        ? (evaluate(props, `Resources.${logicalId}.Properties`) as JsonObject)
        : props;
      names[logicalId] = { name, arn: naming.arn?.(name, context, resolvedProps ?? {}) };
      resolving.delete(logicalId);
    }
    return { ...names[logicalId], type, props };
  };

  const refOf = (target: string, path: string): string | typeof NO_VALUE | undefined => {
    if (target === 'AWS::NoValue') return NO_VALUE;
    if (target in pseudo) return pseudo[target];
    if (target in parameters) return parameters[target];
    if (target in declared) return undefined;
    const res = nameOf(target, path);
    if (!res) return undefined;
    const naming = NAMING[res.type] ?? {};
    return naming.refIsArn ? res.arn : res.name;
  };

  function evaluate(value: Json, path: string): Json | typeof NO_VALUE | undefined {
    if (Array.isArray(value)) {
      const out: Json[] = [];
      value.forEach((v, i) => {
        const r = evaluate(v, `${path}[${i}]`);
        if (r !== NO_VALUE && r !== undefined) out.push(r);
        else if (r === undefined) out.push(null);
      });
      return out;
    }
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'string' && /\$\{Token\[|<unresolved-token>/.test(value)) {
        unresolved.add(`${path}: holds an unresolved CDK token (${value.slice(0, 80)})`);
      }
      return value;
    }
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const fn = keys[0];
      const arg = value[fn];
      const fail = (why: string) => {
        unresolved.add(`${path}: ${fn} ${why}`);
        return undefined;
      };
      switch (fn) {
        case 'Ref': {
          const r = refOf(String(arg), path);
          return r === undefined ? fail(`to ${String(arg)} cannot be resolved`) : r;
        }
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.*)/);
          const res = nameOf(id, path);
          if (!res) return undefined;
          const type = res.type;
          const a = attribute({ type, name: res.name, arn: res.arn, props: res.props }, attr, context);
          return a === undefined ? fail(`${id}.${attr} (${type}) has no modelled value`) : a;
        }
        case 'Fn::Join': {
          const [sep, list] = arg as [Json, Json];
          const items = evaluate(list, `${path}.list`);
          if (!Array.isArray(items)) return fail('list does not resolve to a list');
          if (items.some((i) => i === null || typeof i === 'object')) return fail('has a non-string item');
          return items.map(String).join(String(sep));
        }
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? (arg as [string, JsonObject]) : [String(arg), {}];
          const local: Record<string, Json | typeof NO_VALUE | undefined> = {};
          for (const [k, v] of Object.entries(vars ?? {})) local[k] = evaluate(v, `${path}.${k}`);
          let broken = false;
          const out = String(text).replace(/\$\{(!?)([^}]+)\}/g, (whole, bang: string, name: string) => {
            if (bang) return `\${${name}}`;
            if (name in local) return String(local[name]);
            if (name.includes('.')) {
              const [id, attr] = name.split(/\.(.*)/);
              const r = evaluate({ 'Fn::GetAtt': [id, attr] }, path);
              if (typeof r === 'string') return r;
              broken = true;
              return whole;
            }
            const r = refOf(name, path);
            if (typeof r === 'string') return r;
            broken = true;
            return whole;
          });
          return broken ? fail(`leaves ${out.slice(0, 80)} unresolved`) : out;
        }
        case 'Fn::If': {
          const [cond, whenTrue, whenFalse] = arg as [string, Json, Json];
          return condition(cond, path)
            ? evaluate(whenTrue, `${path}.true`)
            : evaluate(whenFalse, `${path}.false`);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [Json, Json];
          const items = evaluate(list, `${path}.list`);
          const i = Number(evaluate(index, path));
          if (!Array.isArray(items) || !(i >= 0 && i < items.length)) return fail(`index ${i} out of range`);
          return items[i];
        }
        case 'Fn::Split': {
          const [sep, source] = arg as [string, Json];
          const s = evaluate(source, path);
          return typeof s === 'string' ? s.split(sep) : fail('source is not a string');
        }
        case 'Fn::FindInMap': {
          const [m, k1, k2] = (arg as Json[]).map((v) => String(evaluate(v, path)));
          const found = mappings[m]?.[k1]?.[k2];
          return found === undefined ? fail(`${m}.${k1}.${k2} is not in the mappings`) : found;
        }
        case 'Fn::GetAZs':
          return ['a', 'b', 'c'].map((z) => `${context.region}${z}`);
        case 'Fn::Base64': {
          const s = evaluate(arg, path);
          return typeof s === 'string' ? Buffer.from(s).toString('base64') : fail('argument is not a string');
        }
        case 'Fn::Equals': {
          const [a, b] = (arg as Json[]).map((v) => evaluate(v, path));
          return JSON.stringify(a) === JSON.stringify(b);
        }
        case 'Fn::Not':
          return !(evaluate((arg as Json[])[0], path) === true);
        case 'Fn::And':
          return (arg as Json[]).every((v) => evaluate(v, path) === true);
        case 'Fn::Or':
          return (arg as Json[]).some((v) => evaluate(v, path) === true);
        case 'Condition':
          return condition(String(arg), path);
        case 'Fn::ImportValue':
        case 'Fn::Transform':
        case 'Fn::ToJsonString':
        case 'Fn::Length':
          return fail('is not supported by the rehearsal (not used by this project)');
        default:
          break;
      }
    }
    const out: JsonObject = {};
    for (const k of keys) {
      const r = evaluate(value[k], `${path}.${k}`);
      if (r !== NO_VALUE && r !== undefined) out[k] = r;
    }
    return out;
  }

  for (const name of Object.keys(conditionDefs)) condition(name, `Conditions.${name}`);
  const resources: Record<string, ResolvedResource> = {};
  for (const [logicalId, raw] of Object.entries(rawResources)) {
    if (typeof raw.Condition === 'string' && !condition(raw.Condition, `Resources.${logicalId}.Condition`)) {
      continue;
    }
    const type = String(raw.Type);
    const properties = (evaluate((raw.Properties ?? {}) as Json, `Resources.${logicalId}.Properties`) ??
      {}) as JsonObject;
    const named = nameOf(logicalId, `Resources.${logicalId}`);
    const naming = NAMING[type] ?? {};
    resources[logicalId] = {
      logicalId,
      type,
      properties,
      ref: (naming.refIsArn ? named?.arn : named?.name) ?? logicalId,
      arn: named?.arn,
    };
  }
  return { context, parameters, conditions, resources, unresolved: [...unresolved] };
}
