// This repository's stage stacks (the shared deploy stack of @mlops-templates/model-deploy with CSV
// capture): Model Monitor can read the captures (CSV content type declared, KMS-encrypted, under
// data-capture/<stage>/), the rollback alarms are not retrain alarms, and cfn-lint finds nothing
// (skipped with an install hint without cfn-lint, a failure under CI) — with a negative control.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeStages } from '@mlops-templates/model-deploy';
import { CFN_LINT, cfnLint, describeWithTool } from '@mlops-templates/test-harness';
import { Template } from 'aws-cdk-lib/assertions';
import { DEPLOY_SEED } from '../src/deploy-options';
import { exampleParameters } from './helpers';

const parameters = exampleParameters();
const synthesized = synthesizeStages(parameters, DEPLOY_SEED.deployStack);

describe.each(['staging', 'prod'] as const)('%s', (stage) => {
  const t = Template.fromJSON(synthesized[stage].template);
  const { project } = parameters;

  test('captures requests and predictions as CSV, encrypted with the project key', () => {
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: project.kmsKeyArn,
      DataCaptureConfig: {
        EnableCapture: true,
        KmsKeyId: project.kmsKeyArn,
        DestinationS3Uri: `s3://${project.projectBucket}/${project.dataCapturePrefix}${stage}/`,
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'] },
      },
    });
  });

  test('rolls back on its own alarms, none with the retrain alarm prefix', () => {
    t.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: project.endpointNames[stage],
      DeploymentConfig: {
        AutoRollbackConfiguration: {
          Alarms: [{ AlarmName: { Ref: 'Invocation5xxAlarm' } }, { AlarmName: { Ref: 'ModelLatencyAlarm' } }],
        },
      },
    });
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: { AlarmName: string } }).Properties.AlarmName,
    );
    expect(alarms).toHaveLength(2);
    for (const name of alarms) expect(name.startsWith(project.accuracyAlarmNamePrefix)).toBe(false);
  });
});

describeWithTool(CFN_LINT, 'cfn-lint on the stage templates', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tabular-deploy-lint-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, template: unknown): string => {
    const file = path.join(dir, `${name}.template.json`);
    fs.writeFileSync(file, JSON.stringify(template));
    return file;
  };

  test('both templates are clean', () => {
    const files = (['staging', 'prod'] as const).map((s) => write(s, synthesized[s].template));
    expect(cfnLint(files)).toEqual({ status: 0, findings: [] });
  });

  test('negative control: a capture config without its destination is reported', () => {
    const broken = JSON.parse(JSON.stringify(synthesized.staging.template));
    delete broken.Resources.EndpointConfig.Properties.DataCaptureConfig.DestinationS3Uri;
    const result = cfnLint([write('broken', broken)]);
    expect(result.status).not.toBe(0);
    expect(result.findings.join('\n')).toMatch(/'DestinationS3Uri' is a required property/);
  });
});
