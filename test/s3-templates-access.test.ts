// The S3-provisioned templates path, evaluated with the rehearsal's IAM engine: the configured Studio
// principals may list the templates bucket and read templates with their tags (what Studio does with
// the user's own role, SageMaker Developer Guide "Create custom project templates"), over TLS only,
// and nothing else; without s3:GetObjectTagging in the bucket policy the read of tags is denied
// (negative control).
import { decide, type AwsRequest } from './rehearsal/engine';
import { resourcePolicies, type PolicyDocument, type RolePrincipal } from './rehearsal/principals';
import { REHEARSAL_ACCOUNT, REHEARSAL_REGION } from './rehearsal/rehearsal';
import { resolveTemplate, type Json, type ResolvedTemplate } from './rehearsal/resolve';
import { configWith, synthPortfolio } from './support/synth';

let portfolio: ResolvedTemplate;
let studioRoles: string[];

beforeAll(() => {
  const config = configWith({ s3Templates: { enabled: true } });
  studioRoles = config.studioPrincipals;
  const synth = synthPortfolio(config);
  portfolio = resolveTemplate(synth.portfolioTemplate.toJSON() as Record<string, Json>, {
    partition: 'aws',
    region: REHEARSAL_REGION,
    account: REHEARSAL_ACCOUNT,
    stackName: 'SageMakerProjectsPortfolio',
    parameters: {},
  });
});

const templatesBucket = (): string => {
  const bucket = Object.values(portfolio.resources).find(
    (r) =>
      r.type === 'AWS::S3::Bucket' &&
      String(r.properties.BucketName).startsWith('sagemaker-projects-templates-'),
  );
  expect(bucket?.arn).toBeDefined();
  return bucket?.arn as string;
};

const studio = (arn: string): RolePrincipal => ({
  id: `studio ${arn}`,
  roleName: arn.split('/').pop() ?? arn,
  arn,
  assumedBy: ['sagemaker.amazonaws.com'],
  // Only the bucket policy: the path must work whatever the execution role's own policies are.
  identityPolicies: [],
  externalManagedPolicies: [],
});

async function decisions(policy: PolicyDocument | undefined): Promise<Record<string, string>> {
  const bucket = templatesBucket();
  const object = `${bucket}/deepar-forecasting/0.1.0.template.json`;
  const tls = { 'aws:SecureTransport': 'true' };
  const requests: Record<string, AwsRequest> = {
    list: { action: 's3:ListBucket', resource: bucket, context: tls },
    get: { action: 's3:GetObject', resource: object, context: tls },
    tags: { action: 's3:GetObjectTagging', resource: object, context: tls },
    put: { action: 's3:PutObject', resource: object, context: tls },
    plainHttp: { action: 's3:GetObject', resource: object, context: { 'aws:SecureTransport': 'false' } },
  };
  const out: Record<string, string> = {};
  for (const role of studioRoles) {
    for (const [name, request] of Object.entries(requests)) {
      out[name] = (await decide(studio(role), request, REHEARSAL_ACCOUNT, policy)).result;
    }
  }
  return out;
}

test('Studio principals list and read templates with their tags over TLS, and nothing else', async () => {
  const policy = resourcePolicies(portfolio).get(templatesBucket());
  expect(policy).toBeDefined();
  expect(await decisions(policy)).toEqual({
    list: 'Allowed',
    get: 'Allowed',
    tags: 'Allowed',
    put: 'ImplicitlyDenied',
    plainHttp: 'ExplicitlyDenied',
  });
});

test('negative control: the bucket policy without s3:GetObjectTagging denies reading the tags', async () => {
  const policy = resourcePolicies(portfolio).get(templatesBucket()) as PolicyDocument;
  const without: PolicyDocument = {
    ...policy,
    Statement: policy.Statement.map((st) => ({
      ...st,
      Action: ([st.Action].flat() as string[]).filter((a) => a !== 's3:GetObjectTagging') as Json,
    })),
  };
  const d = await decisions(without);
  expect(d.tags).toBe('ImplicitlyDenied');
  expect(d.get).toBe('Allowed');
});
