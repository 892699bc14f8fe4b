// Every partition (#19): the product resolved in aws-cn and aws-us-gov, and the stacks its seeded
// repositories deploy there, carry no literal of the aws partition (IAM rejects an arn:aws: resource
// elsewhere with MalformedPolicyDocument), and the product resolves completely.
import { readEmitted, type EmittedTemplates } from './rehearsal/rehearsal';
import { resolveTemplate, type Json } from './rehearsal/resolve';
import { deepArSeededStacks } from './rehearsal/seeded-stacks';
import { sharedCommittedSynth } from './support/synth';

let emitted: EmittedTemplates;

beforeAll(() => {
  const synth = sharedCommittedSynth();
  emitted = readEmitted(synth.portfolioTemplateFile, synth.productTemplateFiles);
});

/** Literals of the aws partition in a template (ARNs spelled arn:aws:…). */
const awsPartitionLiterals = (value: unknown): string[] =>
  JSON.stringify(value).match(/arn:aws:[^"]{0,60}/g) ?? [];

const PARTITIONS = [
  { partition: 'aws-cn', region: 'cn-north-1', seeded: true },
  // The monitoring seed knows no Model Monitor image for GovCloud regions (its committed registry,
  // config/model-monitor-image-uris.json, has none), so its build stops there with that message
  // (issue #19): only the product is checked in this partition.
  { partition: 'aws-us-gov', region: 'us-gov-west-1', seeded: false },
];

describe.each(PARTITIONS)('partition $partition', ({ partition, region, seeded }) => {
  for (const provider of ['CodeCommit', 'CodeConnection']) {
    test(`${provider}: the product and the seeded stacks carry no arn:aws: literal`, () => {
      const parameters: Record<string, string> = {
        SageMakerProjectName: 'demand-forecast',
        SageMakerProjectId: 'p-abcdefgh1234',
        ...(provider === 'CodeConnection'
          ? {
              RepositoryProvider: 'CodeConnection',
              CodeConnectionArn: `arn:${partition}:codeconnections:${region}:123456789012:connection/0a1b2c3d-0000-1111-2222-333344445555`,
              ModelBuildRepositoryId: 'org/model-build',
              ModelDeployRepositoryId: 'org/model-deploy',
              MonitoringRepositoryId: 'org/monitoring',
            }
          : {}),
      };
      const product = resolveTemplate(emitted.products['deepar-forecasting'] as Record<string, Json>, {
        partition,
        region,
        account: '123456789012',
        stackName: 'SC-123456789012-pp-abcdefghijklm',
        parameters,
      });
      expect(product.unresolved).toEqual([]);
      expect(awsPartitionLiterals(product.resources)).toEqual([]);
      for (const stack of seeded ? deepArSeededStacks(product) : []) {
        expect({ stack: stack.name, literals: awsPartitionLiterals(stack.template) }).toEqual({
          stack: stack.name,
          literals: [],
        });
      }
    });
  }
});

test('negative control: a literal arn:aws: is found', () => {
  expect(awsPartitionLiterals({ Resource: 'arn:aws:s3:::bucket/*' })).toEqual(['arn:aws:s3:::bucket/*']);
  expect(awsPartitionLiterals({ Resource: 'arn:aws-cn:s3:::bucket/*' })).toEqual([]);
});
