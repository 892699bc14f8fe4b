// Every partition, every parameter set (#19): IAM rejects an arn:aws: resource outside the aws
// partition (MalformedPolicyDocument), and a template that names one account or region works only
// there. Over every template the portfolio emits and every parameter set of the rehearsal:
// - the product template and the stacks its seeded repositories deploy (synthesized by the seeds'
//   own code from the product's build environment) carry no partition, region or account literal:
//   unresolved, none at all; resolved in aws, aws-cn and aws-us-gov for an account and region other
//   than the committed config's, only the values of that deployment;
// - the portfolio template carries no literal of a partition (its account and region literals are
//   listed below, with the reason they remain).
import { PARAMETER_MATRIX, readEmitted, SEEDED_STACKS, type EmittedTemplates } from './rehearsal/rehearsal';
import { resolveTemplate, type Json } from './rehearsal/resolve';
import { committedConfig, sharedCommittedSynth } from './support/synth';

let emitted: EmittedTemplates;
const committed = committedConfig().environment;

beforeAll(() => {
  const synth = sharedCommittedSynth();
  emitted = readEmitted(synth.portfolioTemplateFile, synth.productTemplateFiles);
});

const PARTITION_LITERAL = /arn:aws(-[a-z-]+)?:/g;
const ACCOUNT_LITERAL = /(?<![0-9])[0-9]{12}(?![0-9])/g;
const REGION_LITERAL =
  /\b(us|eu|ap|sa|ca|me|af|cn|il|mx)-(gov-|iso-|isob-)?(north|south|east|west|central|northeast|southeast|northwest|southwest)-[0-9]\b/g;

/**
 * AWS-owned image registries (`<account>.dkr.ecr.<region>.amazonaws.com`): the built-in algorithm and
 * Model Monitor images live in a per-region account of AWS's, looked up from the deployment's region
 * in the seed's committed registry (SageMaker Developer Guide, "Docker Registry Paths and Example
 * Code"). The region part is still checked.
 */
const AWS_REGISTRY_ACCOUNT = /(?<![0-9])[0-9]{12}(?=\.dkr\.ecr\.)/g;

/** True when the match at `index` is part of a run of at least 32 hexadecimal characters (a hash). */
function isInsideHexRun(text: string, index: number, length: number): boolean {
  let start = index;
  while (start > 0 && /[0-9a-fA-F]/.test(text[start - 1])) start--;
  let end = index + length;
  while (end < text.length && /[0-9a-fA-F]/.test(text[end])) end++;
  return end - start >= 32;
}

/** Partition, account and region literals of a JSON value, with some context. */
export function literalsOf(value: unknown, allowed: readonly string[] = []): string[] {
  const text = JSON.stringify(value).replace(AWS_REGISTRY_ACCOUNT, '<aws-registry>');
  const out: string[] = [];
  for (const re of [PARTITION_LITERAL, ACCOUNT_LITERAL, REGION_LITERAL]) {
    for (const m of text.matchAll(re)) {
      if (allowed.includes(m[0])) continue;
      // The last group of a UUID (e.g. a connection id) is 12 hexadecimal digits, not an account.
      if (
        re === ACCOUNT_LITERAL &&
        /[0-9a-fA-F]{4}-$/.test(text.slice(Math.max(0, (m.index ?? 0) - 5), m.index))
      ) {
        continue;
      }
      // Twelve decimal digits inside a longer hexadecimal run (an asset hash such as `…de652471332876e4…`)
      // are no account: an account in an ARN or a name stands between separators.
      if (re === ACCOUNT_LITERAL && isInsideHexRun(text, m.index ?? 0, m[0].length)) continue;
      out.push(text.slice(Math.max(0, (m.index ?? 0) - 40), (m.index ?? 0) + m[0].length + 20));
    }
  }
  return out;
}

/** Deployments other than the committed config's: another account, another region, each partition. */
const DEPLOYMENTS = [
  { partition: 'aws', region: 'us-west-2', account: '210987654321', seeded: true },
  { partition: 'aws-cn', region: 'cn-northwest-1', account: '210987654321', seeded: true },
  // The monitoring seed knows no Model Monitor image for GovCloud regions (its committed registry,
  // @mlops-templates/metrics' modelMonitorImageUri, has none), so its build stops there with that message:
  // only the product is resolved in this partition.
  { partition: 'aws-us-gov', region: 'us-gov-east-1', account: '210987654321', seeded: false },
];

/** The parameter set in a deployment: a connection ARN of that partition, region and account. */
const parametersIn = (parameters: Record<string, string>, d: (typeof DEPLOYMENTS)[number]) =>
  Object.fromEntries(
    Object.entries(parameters).map(([k, v]) => [
      k,
      k === 'CodeConnectionArn'
        ? v.replace(/^arn:[^:]+:([^:]+):[^:]+:[^:]+:/, `arn:${d.partition}:$1:${d.region}:${d.account}:`)
        : v,
    ]),
  );

test('the product template has no partition, region or account literal, before resolution', () => {
  for (const [name, product] of Object.entries(emitted.products)) {
    expect({ name, literals: literalsOf(product) }).toEqual({ name, literals: [] });
  }
});

test('the portfolio template has no partition literal (config ARNs are rewritten over AWS::Partition)', () => {
  expect(JSON.stringify(emitted.portfolio).match(PARTITION_LITERAL) ?? []).toEqual([]);
});

describe.each(DEPLOYMENTS)('$partition, $region, account $account', (d) => {
  test.each(
    Object.entries(PARAMETER_MATRIX).flatMap(([name, sets]) =>
      sets.map((set) => [`${name}[${set.label}]`, name, set] as const),
    ),
  )('%s: product and seeded stacks resolve to this deployment only', async (_label, name, set) => {
    // The deployment's own values are expected; any other partition, account or region is a literal.
    const own = [`arn:${d.partition}:`, d.account, d.region];
    const template = emitted.products[name];
    expect(template).toBeDefined();
    const product = resolveTemplate(template as Record<string, Json>, {
      partition: d.partition,
      region: d.region,
      account: d.account,
      stackName: `SC-${d.account}-pp-abcdefghijklm`,
      parameters: parametersIn(set.parameters, d),
    });
    expect(product.unresolved).toEqual([]);
    expect({ name, literals: literalsOf(product.resources, own) }).toEqual({ name, literals: [] });
    for (const stack of d.seeded ? ((await SEEDED_STACKS[name]?.(product)) ?? []) : []) {
      expect({ stack: stack.name, literals: literalsOf(stack.template, own) }).toEqual({
        stack: stack.name,
        literals: [],
      });
    }
  });
});

test('every template the portfolio emits has a parameter matrix', () => {
  expect(Object.keys(emitted.products).filter((name) => PARAMETER_MATRIX[name] === undefined)).toEqual([]);
});

test('the committed config is not one of the deployments (the check would be blind to its literals)', () => {
  for (const d of DEPLOYMENTS) {
    expect([d.account, d.region]).not.toContain(committed.account);
    expect(d.region).not.toBe(committed.region);
  }
});

test('negative control: partition, account and region literals are found; the allowed ones are not', () => {
  const sample = {
    Resource: 'arn:aws:s3:::bucket/*',
    Principal: 'arn:aws-us-gov:iam::123456789012:root',
    Url: 'https://s3.eu-west-1.amazonaws.com/x',
  };
  expect(literalsOf(sample)).toHaveLength(4);
  expect(
    literalsOf({ Resource: 'arn:aws-cn:s3:::b', Region: 'cn-north-1' }, ['arn:aws-cn:', 'cn-north-1']),
  ).toEqual([]);
  expect(literalsOf({ Value: { 'Fn::Sub': 'x-${AWS::AccountId}-${AWS::Region}' } })).toEqual([]);
  // A UUID's last group and an AWS-owned registry account are no account literal; a bare one is.
  expect(literalsOf({ Id: 'connection/0a1b2c3d-0000-1111-2222-333344445555' })).toEqual([]);
  expect(literalsOf({ Image: '159807026194.dkr.ecr.us-west-2.amazonaws.com/x' }, ['us-west-2'])).toEqual([]);
  expect(literalsOf({ Account: '333344445555' })).toHaveLength(1);
  // An asset hash that holds twelve decimal digits in a row is no account; the same digits in an ARN are.
  const hash = '468d77df190645e403ebbef4a7de652471332876e48dbf9a397d80ca88ab6a2c';
  expect(literalsOf({ Key: `${hash}.zip` })).toEqual([]);
  expect(literalsOf({ Role: 'arn:${AWS::Partition}:iam::652471332876:role/x' })).toHaveLength(1);
});
