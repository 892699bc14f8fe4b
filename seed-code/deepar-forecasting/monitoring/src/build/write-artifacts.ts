// `npm run write-artifacts -- --environment dist/environment.json [--cdk-out cdk.out] [--out dist/artifacts]`:
// after `cdk synth`, writes the monitoring pipeline's output artifact:
//   monitoring/staging.template.json, monitoring/prod.template.json   (the synthesized templates)
//   monitoring/staging.config.json,   monitoring/prod.config.json     (template configuration files:
//     {"Parameters": {...}, "Tags": {...}} for the CloudFormation deploy actions)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stackId } from '../infra/app';
import {
  type DeploymentEnvironment,
  parseDeploymentEnvironment,
  type Stage,
  STAGES,
} from '../infra/deployment-environment';

/** A CloudFormation template configuration file. */
export interface TemplateConfiguration {
  readonly Parameters: Record<string, string>;
  readonly Tags: Record<string, string>;
}

interface TemplateParameter {
  readonly Default?: string;
}

/**
 * The configuration of a stage's template: a value for every parameter the template declares (an
 * unknown parameter without a default is an error), and the project tags.
 */
export function templateConfiguration(
  template: { Parameters?: Record<string, TemplateParameter> },
  deployment: DeploymentEnvironment,
  stage: Stage,
): TemplateConfiguration {
  const resolution = deployment.stages[stage];
  const values: Record<string, string> = {
    CollectorCodeKey: deployment.collectorCodeKey,
    ModelVersion: resolution.modelVersion,
    ModelQualityMonitorEnabled: resolution.endpointExists ? 'true' : 'false',
  };
  const parameters: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(template.Parameters ?? {})) {
    if (values[name] !== undefined) parameters[name] = values[name];
    else if (declaration.Default === undefined) {
      throw new Error(
        `the ${stage} template declares parameter ${name} without a default, and the build has no value for it`,
      );
    }
  }
  const vars = deployment.environment;
  return {
    Parameters: parameters,
    Tags: {
      'sagemaker:project-name': vars.SAGEMAKER_PROJECT_NAME,
      'sagemaker:project-id': vars.SAGEMAKER_PROJECT_ID,
      'sagemaker:deployment-stage': stage,
    },
  };
}

/** The template file of a stage in a cloud assembly (from its manifest). */
export function templateFileOf(cdkOut: string, stage: Stage): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(cdkOut, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type?: string; properties?: { templateFile?: string } }>;
  };
  const artifact = manifest.artifacts?.[stackId(stage)];
  const templateFile = artifact?.properties?.templateFile;
  if (artifact?.type !== 'aws:cloudformation:stack' || !templateFile) {
    throw new Error(`${cdkOut}/manifest.json has no stack ${stackId(stage)}: run cdk synth first`);
  }
  return path.join(cdkOut, templateFile);
}

/** Writes the four artifact files under `<out>/monitoring/`; returns their paths. */
export function writeArtifacts(cdkOut: string, out: string, deployment: DeploymentEnvironment): string[] {
  const folder = path.join(out, 'monitoring');
  fs.mkdirSync(folder, { recursive: true });
  const written: string[] = [];
  for (const stage of STAGES) {
    const templateText = fs.readFileSync(templateFileOf(cdkOut, stage), 'utf8');
    const template = JSON.parse(templateText) as { Parameters?: Record<string, TemplateParameter> };
    const templatePath = path.join(folder, `${stage}.template.json`);
    const configPath = path.join(folder, `${stage}.config.json`);
    fs.writeFileSync(templatePath, templateText);
    fs.writeFileSync(
      configPath,
      `${JSON.stringify(templateConfiguration(template, deployment, stage), null, 2)}\n`,
    );
    written.push(templatePath, configPath);
  }
  return written;
}

function argument(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const environmentFile = argument(argv, '--environment');
  if (!environmentFile) {
    process.stderr.write(
      'usage: write-artifacts --environment <file> [--cdk-out cdk.out] [--out dist/artifacts]\n',
    );
    process.exit(2);
  }
  try {
    const deployment = parseDeploymentEnvironment(
      JSON.parse(fs.readFileSync(environmentFile, 'utf8')),
      environmentFile,
    );
    const written = writeArtifacts(
      argument(argv, '--cdk-out') ?? 'cdk.out',
      argument(argv, '--out') ?? path.join('dist', 'artifacts'),
      deployment,
    );
    for (const file of written) process.stdout.write(`${file}\n`);
  } catch (error) {
    process.stderr.write(`write-artifacts failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
