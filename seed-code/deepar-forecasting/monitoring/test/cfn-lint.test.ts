// Both synthesized templates (and the build's artifact files) pass cfn-lint with no error or warning.
// Skipped with an install hint when cfn-lint is missing; a failure under CI.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeArtifacts } from '../src/build/write-artifacts';
import { buildMonitoringApp } from '../src/infra/app';
import { exampleDeploymentEnvironment } from '../src/infra/deployment-environment';
import { loadMonitoringConfig } from '../src/infra/monitoring-config';
import { CFN_LINT, cfnLint, describeWithTool } from '@mlops-templates/test-harness';

describeWithTool(CFN_LINT, 'cfn-lint on the synthesized templates', () => {
  test('staging and prod templates are clean', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'monitoring-cfn-lint-'));
    const deployment = exampleDeploymentEnvironment();
    const { app } = buildMonitoringApp({
      deployment,
      config: loadMonitoringConfig(),
      account: '123456789012',
      region: 'eu-west-1',
      outdir: path.join(out, 'cdk.out'),
    });
    app.synth();
    const files = writeArtifacts(path.join(out, 'cdk.out'), path.join(out, 'artifacts'), deployment).filter(
      (f) => f.endsWith('.template.json'),
    );
    expect(files.map((f) => path.basename(f)).sort()).toEqual([
      'prod.template.json',
      'staging.template.json',
    ]);
    expect(cfnLint(files)).toEqual({ status: 0, findings: [] });
    fs.rmSync(out, { recursive: true, force: true });
  });
});
