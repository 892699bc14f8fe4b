// The template README's parameter table states each parameter's real default, and every default
// passes its own AllowedPattern (#19 finding 5: the README gave CodeConnectionArn's default as `none`
// while the template's default was an ARN literal; a default that fails its pattern fails every launch).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedCommittedSynth } from './support/synth';

interface Parameter {
  readonly Default?: string;
  readonly AllowedPattern?: string;
  readonly AllowedValues?: string[];
}

/** `name → default` of each README table row whose first cell lists `Name` parameters and whose second a `default`. */
export function readmeDefaults(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of markdown.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    if (cells.length < 4) continue;
    const names = [...cells[1].matchAll(/`([A-Z][A-Za-z]+)`/g)].map((m) => m[1]);
    const value = /^`([^`]*)`$/.exec(cells[2]);
    if (names.length === 0 || value === null) continue;
    for (const name of names) out.set(name, value[1]);
  }
  return out;
}

/** Problems: README defaults that differ from the template's, and defaults that fail their pattern. */
export function defaultProblems(
  readme: ReadonlyMap<string, string>,
  parameters: Readonly<Record<string, Parameter>>,
): string[] {
  const problems: string[] = [];
  for (const [name, stated] of readme) {
    const p = parameters[name];
    if (p === undefined) continue;
    if (p.Default !== stated) problems.push(`${name}: README says ${stated}, template default ${p.Default}`);
    if (p.AllowedPattern !== undefined && !new RegExp(p.AllowedPattern).test(stated)) {
      problems.push(`${name}: the README's default ${stated} fails the AllowedPattern`);
    }
  }
  for (const [name, p] of Object.entries(parameters)) {
    if (p.Default === undefined) continue;
    if (p.AllowedPattern !== undefined && !new RegExp(p.AllowedPattern).test(p.Default)) {
      problems.push(`${name}: default ${p.Default} fails its AllowedPattern`);
    }
    if (p.AllowedValues !== undefined && !p.AllowedValues.includes(p.Default)) {
      problems.push(`${name}: default ${p.Default} is not an allowed value`);
    }
  }
  return problems;
}

test('deepar-forecasting: the README states every default the template has, and each default passes its pattern', () => {
  const synth = sharedCommittedSynth();
  const template = JSON.parse(fs.readFileSync(synth.productTemplateFiles['deepar-forecasting'], 'utf8')) as {
    Parameters: Record<string, Parameter>;
  };
  const readme = readmeDefaults(
    fs.readFileSync(path.join(__dirname, '..', 'templates', 'deepar-forecasting', 'README.md'), 'utf8'),
  );
  expect(readme.get('CodeConnectionArn')).toBe('none');
  expect(readme.size).toBeGreaterThanOrEqual(15);
  expect(defaultProblems(readme, template.Parameters)).toEqual([]);
});

test('tabular-xgboost: the README states every default the template has, and each default passes its pattern', () => {
  const synth = sharedCommittedSynth();
  const template = JSON.parse(fs.readFileSync(synth.productTemplateFiles['tabular-xgboost'], 'utf8')) as {
    Parameters: Record<string, Parameter>;
  };
  const readme = readmeDefaults(
    fs.readFileSync(path.join(__dirname, '..', 'templates', 'tabular-xgboost', 'README.md'), 'utf8'),
  );
  // Every optional parameter of the template has its row.
  const optional = Object.keys(template.Parameters).filter((name) => !name.startsWith('SageMakerProject'));
  expect(optional.filter((name) => !readme.has(name))).toEqual([]);
  expect(defaultProblems(readme, template.Parameters)).toEqual([]);
});

test('negative control: the old CodeConnectionArn README text, and a default failing its pattern, are found', () => {
  // Before #19: the template's default was an ARN literal and its pattern did not admit `none`.
  const oldPattern = '^arn:aws(-cn|-us-gov)?:codeconnections:[a-z0-9-]+:[0-9]{12}:connection/[A-Za-z0-9-]+$';
  const oldDefault = 'arn:aws:codeconnections:us-east-1:000000000000:connection/not-used';
  expect(
    defaultProblems(new Map([['CodeConnectionArn', 'none']]), {
      CodeConnectionArn: { Default: oldDefault, AllowedPattern: oldPattern },
      Broken: { Default: 'none', AllowedPattern: '^[0-9]+$' },
      NotAllowed: { Default: 'x', AllowedValues: ['a', 'b'] },
    }),
  ).toEqual([
    `CodeConnectionArn: README says none, template default ${oldDefault}`,
    "CodeConnectionArn: the README's default none fails the AllowedPattern",
    'Broken: default none fails its AllowedPattern',
    'NotAllowed: default x is not an allowed value',
  ]);
});
