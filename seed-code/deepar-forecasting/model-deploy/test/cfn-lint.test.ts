// cfn-lint on both synthesized stage templates: no error, no warning. Skipped with an install hint
// when cfn-lint is missing (failing when CI is set).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeStages } from '@mlops-templates/model-deploy';
import { DEPLOY_SEED } from '../src/deploy-options';
import { CFN_LINT, cfnLint, describeWithTool } from '@mlops-templates/test-harness';
import { committedStages, exampleParameters } from './helpers';

describeWithTool(CFN_LINT, 'cfn-lint on the stage templates', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-lint-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('staging and prod templates are clean, with the committed stage config and its variants', () => {
    const stages = committedStages();
    const variants = {
      committed: exampleParameters(),
      // autoscaling + linear rollout on staging; neither on prod
      variant: exampleParameters({
        stages: {
          staging: {
            ...stages.staging,
            autoscaling: {
              minCapacity: 1,
              maxCapacity: 3,
              targetInvocationsPerInstance: 100,
              scaleInCooldownSeconds: 300,
              scaleOutCooldownSeconds: 60,
            },
            rollout: { ...stages.staging.rollout, trafficRouting: 'LINEAR', stepPercent: 20 },
          },
          prod: {
            ...stages.prod,
            autoscaling: undefined,
            instanceCount: 1,
            rollout: { ...stages.staging.rollout },
          },
        },
      }),
    };
    const files = Object.entries(variants).flatMap(([name, parameters]) => {
      const synthesized = synthesizeStages(parameters, DEPLOY_SEED.deployStack);
      return (['staging', 'prod'] as const).map((stage) => {
        const file = path.join(dir, `${name}-${stage}.template.json`);
        fs.writeFileSync(file, JSON.stringify(synthesized[stage].template, null, 1));
        return file;
      });
    });
    expect(cfnLint(files)).toEqual({ status: 0, findings: [] });
  });

  test('the gate can fail: an invalid endpoint config is reported', () => {
    const template = synthesizeStages(exampleParameters(), DEPLOY_SEED.deployStack).staging.template as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    template.Resources.EndpointConfig.Properties.DataCaptureConfig = { EnableCapture: 'sometimes' };
    const file = path.join(dir, 'broken.template.json');
    fs.writeFileSync(file, JSON.stringify(template));
    const result = cfnLint([file]);
    expect(result.status).not.toBe(0);
    expect(result.findings.join('\n')).toMatch(/'DestinationS3Uri' is a required property/);
  });
});
