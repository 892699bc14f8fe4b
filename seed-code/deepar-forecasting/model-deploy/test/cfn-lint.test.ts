// cfn-lint on both synthesized stage templates: no error, no warning. Skipped with an install hint
// when cfn-lint is missing (failing when CI is set).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeStages } from '../src/deploy-stack';
import { committedStages, describeWithTool, exampleParameters } from './helpers';

function lint(files: string[]): { status: number | null; output: string } {
  const r = spawnSync('cfn-lint', ['--', ...files], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

describeWithTool('cfn-lint', 'pip install cfn-lint', 'cfn-lint on the stage templates', () => {
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
      const synthesized = synthesizeStages(parameters);
      return (['staging', 'prod'] as const).map((stage) => {
        const file = path.join(dir, `${name}-${stage}.template.json`);
        fs.writeFileSync(file, JSON.stringify(synthesized[stage].template, null, 1));
        return file;
      });
    });
    expect(lint(files)).toEqual({ status: 0, output: '' });
  });

  test('the gate can fail: an invalid endpoint config is reported', () => {
    const template = synthesizeStages(exampleParameters()).staging.template as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    template.Resources.EndpointConfig.Properties.DataCaptureConfig = { EnableCapture: 'sometimes' };
    const file = path.join(dir, 'broken.template.json');
    fs.writeFileSync(file, JSON.stringify(template));
    const result = lint([file]);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/'DestinationS3Uri' is a required property/);
  });
});
