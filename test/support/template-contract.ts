// The SageMaker project template contract, checked over a synthesized product template and its
// construct tree. Returns violations (empty = compliant) so tests can show it catches bad ones.
import {
  PARAMETER_RULES_METADATA_KEY,
  PROJECT_ID_TAG,
  PROJECT_NAME_TAG,
  PROJECT_RESOURCE_PREFIX,
  SAGEMAKER_PROJECT_NAME_PATTERN,
} from '@mlops-templates/constructs';
import { CfnParameter, CfnResource, Stack, TagManager } from 'aws-cdk-lib';

type Json = Record<string, unknown>;

/**
 * Name properties per resource type and the service's length limit. `prefixed` types must start
 * with the project resource prefix, because the launch role may only create those by prefix.
 */
export const NAME_PROPERTIES: Record<string, { property: string; maxLength: number; prefixed: boolean }> = {
  'AWS::S3::Bucket': { property: 'BucketName', maxLength: 63, prefixed: true },
  'AWS::KMS::Alias': { property: 'AliasName', maxLength: 256, prefixed: false },
  'AWS::SageMaker::ModelPackageGroup': { property: 'ModelPackageGroupName', maxLength: 63, prefixed: true },
  'AWS::SageMaker::Pipeline': { property: 'PipelineName', maxLength: 256, prefixed: true },
  'AWS::SageMaker::CodeRepository': { property: 'CodeRepositoryName', maxLength: 63, prefixed: true },
  'AWS::IAM::Role': { property: 'RoleName', maxLength: 64, prefixed: true },
  'AWS::Lambda::Function': { property: 'FunctionName', maxLength: 64, prefixed: true },
  'AWS::CodeCommit::Repository': { property: 'RepositoryName', maxLength: 100, prefixed: true },
  'AWS::CodeBuild::Project': { property: 'Name', maxLength: 255, prefixed: true },
  'AWS::CodePipeline::Pipeline': { property: 'Name', maxLength: 100, prefixed: true },
  'AWS::Events::Rule': { property: 'Name', maxLength: 64, prefixed: true },
  'AWS::Scheduler::Schedule': { property: 'Name', maxLength: 64, prefixed: true },
  'AWS::SNS::Topic': { property: 'TopicName', maxLength: 256, prefixed: true },
  'AWS::SSM::Parameter': { property: 'Name', maxLength: 1011, prefixed: false },
  'AWS::Logs::LogGroup': { property: 'LogGroupName', maxLength: 512, prefixed: false },
  'AWS::CloudWatch::Alarm': { property: 'AlarmName', maxLength: 255, prefixed: true },
  'AWS::CloudWatch::Dashboard': { property: 'DashboardName', maxLength: 255, prefixed: true },
};

/** Longest value each pseudo parameter or project parameter can take. */
const MAX_REF_LENGTH: Record<string, number> = {
  SageMakerProjectName: 32,
  SageMakerProjectId: 16,
  'AWS::AccountId': 12,
  'AWS::Region': 14,
  'AWS::Partition': 10,
  'AWS::URLSuffix': 16,
};

/** Renders a name with every reference at its longest; throws for an unbounded reference. */
export function longestRendering(value: unknown): { text: string; refs: string[] } {
  if (typeof value === 'string') return { text: value, refs: [] };
  const v = value as Json;
  if (typeof v.Ref === 'string') {
    const max = MAX_REF_LENGTH[v.Ref];
    if (max === undefined) throw new Error(`depends on ${v.Ref}, whose length is unbounded`);
    return { text: 'x'.repeat(max), refs: [v.Ref] };
  }
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    const rendered = parts.map(longestRendering);
    return { text: rendered.map((r) => r.text).join(sep), refs: rendered.flatMap((r) => r.refs) };
  }
  throw new Error(`uses ${Object.keys(v).join(',')}, whose length cannot be bounded`);
}

function hasTag(props: Json | undefined, key: string): boolean {
  const tags = props?.Tags;
  if (Array.isArray(tags)) return tags.some((t) => (t as Json).Key === key);
  if (tags && typeof tags === 'object') return key in (tags as Json);
  return false;
}

/** Checks one product template (JSON) and its stack's construct tree against the contract. */
export function checkTemplateContract(template: Json, stack: Stack): string[] {
  const violations: string[] = [];
  const params = (template.Parameters ?? {}) as Record<string, Json>;
  const resources = (template.Resources ?? {}) as Record<string, { Type: string; Properties?: Json }>;

  const name = params.SageMakerProjectName;
  if (!name) {
    violations.push('parameter SageMakerProjectName is missing');
  } else if (
    name.Type !== 'String' ||
    name.MinLength !== 1 ||
    name.MaxLength !== 32 ||
    name.AllowedPattern !== SAGEMAKER_PROJECT_NAME_PATTERN
  ) {
    violations.push(
      'parameter SageMakerProjectName must be a String of 1-32 characters with the SageMaker pattern',
    );
  }
  const id = params.SageMakerProjectId;
  if (!id) {
    violations.push('parameter SageMakerProjectId is missing');
  } else if (id.Type !== 'String' || id.MinLength !== 1 || id.MaxLength !== 16) {
    violations.push('parameter SageMakerProjectId must be a String of 1-16 characters');
  }

  // Optional parameters: a non-empty default and listed for Studio in the metadata.
  const optional = (
    (template.Metadata as Json | undefined)?.[PARAMETER_RULES_METADATA_KEY] as Json | undefined
  )?.OptionalParameters as Json | undefined;
  for (const [pname, p] of Object.entries(params)) {
    if (p.Default === undefined) continue;
    if (p.Default === '') {
      violations.push(`parameter ${pname} has an empty-string default, which Studio rejects`);
    }
    if (!optional || !(pname in optional)) {
      violations.push(
        `parameter ${pname} has a default but is not listed in Metadata.${PARAMETER_RULES_METADATA_KEY}`,
      );
    }
  }

  // Every taggable resource carries both project tags (CDK's TagManager knows which are taggable).
  const taggable = new Set<string>();
  for (const c of stack.node.findAll()) {
    if (CfnResource.isCfnResource(c) && !(c instanceof CfnParameter) && TagManager.isTaggable(c)) {
      taggable.add(stack.getLogicalId(c));
    }
  }
  for (const logicalId of taggable) {
    const r = resources[logicalId];
    if (!r) continue;
    for (const key of [PROJECT_NAME_TAG, PROJECT_ID_TAG]) {
      if (!hasTag(r.Properties, key)) violations.push(`${logicalId} (${r.Type}) is not tagged ${key}`);
    }
  }

  // Names derived from the project name/id, within the service's limit.
  for (const [logicalId, r] of Object.entries(resources)) {
    const rule = NAME_PROPERTIES[r.Type];
    if (!rule) continue;
    const value = r.Properties?.[rule.property];
    if (value === undefined) {
      violations.push(`${logicalId} (${r.Type}) has no ${rule.property}: names must derive from the project`);
      continue;
    }
    try {
      const { text, refs } = longestRendering(value);
      if (!refs.some((ref) => ref === 'SageMakerProjectName' || ref === 'SageMakerProjectId')) {
        violations.push(`${logicalId} ${rule.property} is not derived from SageMakerProjectName/Id`);
      }
      if (text.length > rule.maxLength) {
        violations.push(
          `${logicalId} ${rule.property} can reach ${text.length} characters (limit ${rule.maxLength})`,
        );
      }
      if (rule.prefixed && !text.startsWith(PROJECT_RESOURCE_PREFIX)) {
        violations.push(`${logicalId} ${rule.property} must start with ${PROJECT_RESOURCE_PREFIX}`);
      }
    } catch (e) {
      violations.push(`${logicalId} ${rule.property} ${(e as Error).message}`);
    }
  }
  return violations;
}
