// The project's SSM configuration (only the fields used here are validated) and the contract with
// the product's pipeline: buildspec file names, the commands they run, the artifact paths.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { instanceTypeOverrides } from '@mlops-templates/model-deploy';
import { parseProjectConfig } from '../src/project-config';
import { ROOT } from './helpers';

describe('project configuration (CONFIG_PARAMETER_NAME)', () => {
  test('the template writes strings; predictionLength becomes a number; unknown fields are kept', () => {
    const config = parseProjectConfig(
      JSON.stringify({
        dataSourceType: 'synthetic',
        dataSourceLocation: 's3://b/data/synthetic/',
        itemIdColumn: 'none',
        predictionLength: '24',
        monitoringSchedule: 'rate(1 hour)',
        stagingInstanceType: '',
      }),
      'p',
    );
    expect(config).toMatchObject({
      dataSourceType: 'synthetic',
      predictionLength: 24,
      itemIdColumn: 'none',
      stagingInstanceType: undefined,
    });
    expect(config.monitoringSchedule).toBe('rate(1 hour)');
    expect(instanceTypeOverrides(config, 'p')).toEqual({});
  });

  test('bad values are named', () => {
    expect(() => parseProjectConfig('{"predictionLength":"zero"}', 'SSM parameter /x/config')).toThrow(
      'SSM parameter /x/config is invalid: predictionLength: must be a positive integer, got "zero"',
    );
    expect(() => parseProjectConfig('{"dataSourceType":"redshift"}', 'p')).toThrow(
      /dataSourceType: must be "synthetic", "s3" or "feature-group"/,
    );
    expect(() => parseProjectConfig('not json', 'p')).toThrow(/p is not JSON/);
    expect(() =>
      instanceTypeOverrides(parseProjectConfig('{"stagingInstanceType":"large"}', 'p'), 'p'),
    ).toThrow(/p stagingInstanceType: "large" must be a SageMaker instance type/);
  });
});

describe('pipeline contract', () => {
  const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
  const pkg = JSON.parse(read('package.json'));

  test('buildspec.yml builds the stage parameters and outputs the files the deploy actions read', () => {
    const spec = read('buildspec.yml');
    expect(spec).toMatch(/^ {6}- npm run build:stage-params$/m);
    for (const file of [
      'staging.template.json',
      'prod.template.json',
      'staging.config.json',
      'prod.config.json',
      'model-package.json',
    ]) {
      expect(spec).toMatch(new RegExp(`^ {4}- deploy/${file.replace('.', '\\.')}$`, 'm'));
    }
  });

  test('buildspec-test.yml and buildspec-post-deploy.yml run the endpoint test and the threshold step', () => {
    expect(read('buildspec-test.yml')).toMatch(/^ {6}- npm run test:endpoint$/m);
    expect(read('buildspec-post-deploy.yml')).toMatch(/^ {6}- npm run threshold:set$/m);
    for (const script of ['build:stage-params', 'test:endpoint', 'threshold:set', 'test'])
      expect(pkg.scripts[script]).toBeDefined();
  });

  test('the metrics package is the vendored one', () => {
    expect(pkg.dependencies['@mlops-templates/metrics']).toBe('file:vendor/metrics');
  });
});
