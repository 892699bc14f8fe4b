// Every template under templates/ meets the SageMaker project template contract.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SageMakerProjectProductStack, TemplateDefinition } from '@mlops-templates/constructs';
import { CfnParameter } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { writeVersions } from '../portfolio/versions';
import { TEMPLATES } from '../templates';
import { configWith, synthPortfolio } from './support/synth';
import { checkTemplateContract } from './support/template-contract';

/** A template that breaks every rule of the contract, to show the check catches each one. */
const broken: TemplateDefinition = {
  name: 'broken',
  productName: 'Broken',
  description: 'violates the contract',
  directory: fs.mkdtempSync(path.join(os.tmpdir(), 'broken-')),
  createProductStack: (scope, id, context) => {
    const stack = new SageMakerProjectProductStack(scope, id, { assetBucket: context.assetBucket });
    stack.addOptionalParameter('Email', { type: 'String', default: 'none' });
    new sns.Topic(stack, 'Unnamed', { enforceSSL: true });
    new sns.Topic(stack, 'TooLong', {
      topicName: `sagemaker-${stack.project.projectName}-${'y'.repeat(230)}`,
      enforceSSL: true,
    });
    const t = new sns.Topic(stack, 'Untagged', {
      topicName: `sagemaker-${stack.project.projectId}-x`,
      enforceSSL: true,
    });
    (t.node.defaultChild as sns.CfnTopic).addPropertyDeletionOverride('Tags');
    // An optional parameter with an empty default, bypassing addOptionalParameter's own check.
    new CfnParameter(stack, 'Empty', { type: 'String', default: '' });
    return stack;
  },
};
writeVersions(broken.directory, [{ name: '0.0.1', locked: false }]);

const registry = { ...TEMPLATES, broken };
const synth = synthPortfolio(configWith({ templates: [...Object.keys(TEMPLATES), 'broken'] }, registry), {
  nag: false,
  templates: registry,
});
const templateJson = (name: string) => JSON.parse(fs.readFileSync(synth.productTemplateFiles[name], 'utf8'));

describe.each(Object.keys(TEMPLATES))('template %s', (name) => {
  test('meets the SageMaker project template contract', () => {
    expect(checkTemplateContract(templateJson(name), synth.stack.products[name].productStack)).toEqual([]);
  });

  test('stays within CloudFormation limits (1 MB, 500 resources)', () => {
    const size = fs.statSync(synth.productTemplateFiles[name]).size;
    const resources = Object.keys(templateJson(name).Resources).length;
    // eslint-disable-next-line no-console
    console.log(`${name}: product template ${size} bytes, ${resources} resources`);
    expect(size).toBeLessThan(1_000_000);
    expect(resources).toBeLessThanOrEqual(500);
  });
});

test('the contract check catches each kind of violation', () => {
  const violations = checkTemplateContract(templateJson('broken'), synth.stack.products.broken.productStack);
  expect(violations).toEqual(
    expect.arrayContaining([
      'parameter Empty has an empty-string default, which Studio rejects',
      'parameter Empty has a default but is not listed in Metadata.SagemakerTemplateParameterRules',
      expect.stringMatching(/^Unnamed[0-9A-F]{8} \(AWS::SNS::Topic\) has no TopicName/),
      expect.stringMatching(/^TooLong[0-9A-F]{8} TopicName can reach 2\d\d characters \(limit 256\)/),
      expect.stringMatching(/^Untagged[0-9A-F]{8} \(AWS::SNS::Topic\) is not tagged sagemaker:project-name/),
    ]),
  );
  expect(violations.some((v) => v.startsWith('parameter Email'))).toBe(false);
});
