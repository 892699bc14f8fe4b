// `npm run write-artifacts -- --code-key <key> [--cdk-out cdk.out] [--out dist/artifacts]`: after
// `cdk synth`, the monitoring pipeline's output artifact: monitoring/<stage>.template.json (the
// synthesized template) and monitoring/<stage>.config.json (a CloudFormation template configuration
// file, {"Parameters": {"CollectorCodeKey": ...}, "Tags": {...}}, AWS CodePipeline User Guide,
// "AWS CloudFormation artifacts").
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STAGES } from '../environment';
import { stackId } from '../infra/app';

/** Writes both stages' files under `<out>/monitoring/`; returns their paths. */
export function writeArtifacts(cdkOut: string, out: string, codeKey: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(cdkOut, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { properties?: { templateFile?: string; stackName?: string } }>;
  };
  const folder = path.join(out, 'monitoring');
  fs.mkdirSync(folder, { recursive: true });
  return STAGES.flatMap((stage) => {
    const templateFile = manifest.artifacts?.[stackId(stage)]?.properties?.templateFile;
    if (!templateFile) throw new Error(`${cdkOut} has no stack ${stackId(stage)}: run cdk synth first`);
    const template = fs.readFileSync(path.join(cdkOut, templateFile), 'utf8');
    const declared = Object.keys((JSON.parse(template) as { Parameters?: object }).Parameters ?? {});
    const unknown = declared.filter((p) => p !== 'CollectorCodeKey');
    if (unknown.length > 0)
      throw new Error(
        `the ${stage} template declares parameters the build cannot set: ${unknown.join(', ')}`,
      );
    const files = [path.join(folder, `${stage}.template.json`), path.join(folder, `${stage}.config.json`)];
    fs.writeFileSync(files[0], template);
    const configuration = {
      Parameters: declared.length > 0 ? { CollectorCodeKey: codeKey } : {},
      Tags: { 'sagemaker:deployment-stage': stage },
    };
    fs.writeFileSync(files[1], `${JSON.stringify(configuration, null, 2)}\n`);
    return files;
  });
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const value = (name: string): string | undefined =>
    argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined;
  const codeKey = value('--code-key');
  if (!codeKey) {
    process.stderr.write(
      'usage: write-artifacts --code-key <key> [--cdk-out cdk.out] [--out dist/artifacts]\n',
    );
    process.exit(2);
  }
  try {
    for (const f of writeArtifacts(
      value('--cdk-out') ?? 'cdk.out',
      value('--out') ?? path.join('dist', 'artifacts'),
      codeKey,
    )) {
      process.stdout.write(`${f}\n`);
    }
  } catch (error) {
    process.stderr.write(`write-artifacts failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
