// Both synthesized templates, as the build writes them into the artifact, pass cfn-lint with no error
// or warning — the example stages and stages without monitors. Skipped with an install hint when
// cfn-lint is missing; a failure under CI.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CFN_LINT, cfnLint, describeWithTool } from '@mlops-templates/test-harness';
import { writeArtifacts } from '../src/build/write-artifacts';
import { loadMonitoringConfig } from '../src/config';
import { exampleDeploymentEnvironment } from '../src/environment';
import { buildMonitoringApp } from '../src/infra/app';

describeWithTool(CFN_LINT, 'cfn-lint on the synthesized templates', () => {
  test('staging and prod, binary with monitors and without an endpoint, are clean', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tabular-monitoring-cfn-lint-'));
    const binary = exampleDeploymentEnvironment({ PROBLEM_TYPE: 'binary' });
    const noEndpoint = {
      ...binary,
      stages: {
        ...binary.stages,
        prod: {
          endpointExists: false,
          modelPackageArn: null,
          dataQuality: null,
          modelQuality: null,
          notes: [],
        },
      },
    };
    const files: string[] = [];
    for (const [name, deployment] of Object.entries({
      example: exampleDeploymentEnvironment(),
      noEndpoint,
    })) {
      const cdkOut = path.join(out, name, 'cdk.out');
      buildMonitoringApp({
        deployment,
        config: loadMonitoringConfig(),
        account: '123456789012',
        region: 'eu-west-1',
        outdir: cdkOut,
      }).app.synth();
      files.push(
        ...writeArtifacts(cdkOut, path.join(out, name, 'artifacts'), deployment.collectorCodeKey).filter(
          (f) => f.endsWith('.template.json'),
        ),
      );
    }
    expect(files).toHaveLength(4);
    expect(cfnLint(files)).toEqual({ status: 0, findings: [] });
    fs.rmSync(out, { recursive: true, force: true });
  });
});
