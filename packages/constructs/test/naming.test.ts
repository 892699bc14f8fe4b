// toPascalCase: construct ids from kebab-case (or otherwise separated) names.
import { toPascalCase } from '../src/naming';

describe('toPascalCase', () => {
  test.each([
    ['model-build', 'ModelBuild'],
    ['model_deploy', 'ModelDeploy'],
    ['deepar forecasting', 'DeeparForecasting'],
    ['monitoring', 'Monitoring'],
    ['a--b', 'AB'],
    ['-leading-and-trailing-', 'LeadingAndTrailing'],
    ['seed2-repo', 'Seed2Repo'],
  ])('%s → %s', (name, id) => {
    expect(toPascalCase(name)).toBe(id);
  });

  test('keeps the case of the rest of each word (only the first letter changes)', () => {
    expect(toPascalCase('s3-URI')).toBe('S3URI');
    expect(toPascalCase('camelCase-name')).toBe('CamelCaseName');
  });

  test('a name without letters or digits gives an empty id', () => {
    expect(toPascalCase('--')).toBe('');
    expect(toPascalCase('')).toBe('');
  });
});
