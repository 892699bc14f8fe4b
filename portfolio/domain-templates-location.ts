// Points SageMaker domains at the S3 templates: tags each configured domain with
// `sagemaker:projectS3TemplatesLocation = s3://<bucket>/<prefix>/` (SageMaker Developer Guide, "Create
// custom project templates", section "Using a template from an Amazon S3 bucket", admin setup step 5)
// and removes the tag when the domain leaves the configuration or the stack is deleted. The function may
// add or delete only that tag key, only on those domains (Service Authorization Reference, Amazon
// SageMaker AI: AddTags and DeleteTags accept the domain resource type and the aws:TagKeys condition).
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** Properties of {@link DomainTemplatesLocation}. */
export interface DomainTemplatesLocationProps {
  /** Ids of the SageMaker domains to tag (`d-...`), in the stack's account and region. */
  readonly domainIds: string[];
  /** Tag key. */
  readonly tagKey: string;
  /** Tag value, `s3://<bucket>/<prefix>/`. */
  readonly location: string;
  /** Role of the custom-resource function. */
  readonly role: iam.IRole;
  /** Log group of the custom-resource function. */
  readonly logGroup: logs.ILogGroup;
}

/** Tags SageMaker domains with the S3 templates location. */
export class DomainTemplatesLocation extends Construct {
  /** ARNs of the tagged domains. */
  public readonly domainArns: string[];

  constructor(scope: Construct, id: string, props: DomainTemplatesLocationProps) {
    super(scope, id);
    if (props.domainIds.length === 0) throw new Error('domainIds: at least one domain id is required');
    const seen = new Set<string>();
    for (const d of props.domainIds) {
      if (!/^d-(-*[a-z0-9]){1,61}$/.test(d)) {
        throw new Error(`domainIds: '${d}' is not a SageMaker domain id`);
      }
      if (seen.has(d)) throw new Error(`domainIds: '${d}' is listed twice`);
      seen.add(d);
    }
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/(.+\/)?$/.test(props.location)) {
      throw new Error(`location: '${props.location}' must be s3://<bucket>/<prefix>/`);
    }
    this.domainArns = props.domainIds.map(
      (d) => `arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:domain/${d}`,
    );
    const onlyThisKey = { 'ForAllValues:StringEquals': { 'aws:TagKeys': [props.tagKey] } };
    props.domainIds.forEach((domainId, i) => {
      const resourceArn = this.domainArns[i];
      new cr.AwsCustomResource(this, domainId, {
        installLatestAwsSdk: false,
        role: props.role,
        logGroup: props.logGroup,
        // The physical id is the domain: a new location updates the tag in place (AddTags overwrites
        // a key's value) instead of a replacement whose delete would remove the new tag.
        onCreate: {
          service: 'SageMaker',
          action: 'addTags',
          parameters: { ResourceArn: resourceArn, Tags: [{ Key: props.tagKey, Value: props.location }] },
          physicalResourceId: cr.PhysicalResourceId.of(domainId),
        },
        onUpdate: {
          service: 'SageMaker',
          action: 'addTags',
          parameters: { ResourceArn: resourceArn, Tags: [{ Key: props.tagKey, Value: props.location }] },
          physicalResourceId: cr.PhysicalResourceId.of(domainId),
        },
        onDelete: {
          service: 'SageMaker',
          action: 'deleteTags',
          parameters: { ResourceArn: resourceArn, TagKeys: [props.tagKey] },
        },
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({
            actions: ['sagemaker:AddTags', 'sagemaker:DeleteTags'],
            resources: [resourceArn],
            conditions: onlyThisKey,
          }),
        ]),
      });
    });
  }
}
