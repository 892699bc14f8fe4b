// PassConnection conditions (#19 finding 5), evaluated with the rehearsal's IAM engine: the legacy
// codestar-connections:PassConnection request carries codestar-connections:PassedToService only, so
// a condition on the other prefix's key — ForAllValues over an absent key in particular — is always
// true and admits any service. The launch role keeps one statement per prefix with that prefix's key.
import { decide } from './rehearsal/engine';
import type { PolicyDocument } from './rehearsal/principals';

const ACCOUNT = '123456789012';
const LEGACY_CONNECTION = `arn:aws:codestar-connections:eu-west-1:${ACCOUNT}:connection/0a1b2c3d-0000-1111-2222-333344445555`;

const role = (statement: Record<string, unknown>) => ({
  arn: `arn:aws:iam::${ACCOUNT}:role/launch`,
  identityPolicies: [
    { name: 'p', document: { Version: '2012-10-17', Statement: [statement] } as PolicyDocument },
  ],
});

/** The launch role's legacy statement (products-launch-role.ts PassLegacyConnectionsToPipelines). */
const perPrefix = {
  Effect: 'Allow',
  Action: 'codestar-connections:PassConnection',
  Resource: `arn:aws:codestar-connections:eu-west-1:${ACCOUNT}:connection/*`,
  Condition: { StringEquals: { 'codestar-connections:PassedToService': 'codepipeline.amazonaws.com' } },
};
/** The old shape: one statement for both prefixes, ForAllValues over the new prefix's key. */
const forAllValues = {
  Effect: 'Allow',
  Action: ['codeconnections:PassConnection', 'codestar-connections:PassConnection'],
  Resource: [
    `arn:aws:codeconnections:eu-west-1:${ACCOUNT}:connection/*`,
    `arn:aws:codestar-connections:eu-west-1:${ACCOUNT}:connection/*`,
  ],
  Condition: {
    'ForAllValues:StringEquals': { 'codeconnections:PassedToService': ['codepipeline.amazonaws.com'] },
  },
};

const legacyPassTo = (service: string) => ({
  action: 'codestar-connections:PassConnection',
  resource: LEGACY_CONNECTION,
  context: { 'codestar-connections:PassedToService': service },
});

test('per-prefix condition: the legacy action passes to CodePipeline, not to CodeBuild', async () => {
  expect((await decide(role(perPrefix), legacyPassTo('codepipeline.amazonaws.com'), ACCOUNT)).result).toBe(
    'Allowed',
  );
  expect((await decide(role(perPrefix), legacyPassTo('codebuild.amazonaws.com'), ACCOUNT)).result).toBe(
    'ImplicitlyDenied',
  );
});

test('negative control: ForAllValues over the other prefix key admits the legacy action to any service', async () => {
  expect((await decide(role(forAllValues), legacyPassTo('codebuild.amazonaws.com'), ACCOUNT)).result).toBe(
    'Allowed',
  );
});
