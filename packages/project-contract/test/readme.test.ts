// The README's variables table is the one rendered from the schema.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderVariablesTable, variablesSection } from '../src';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  test('the variables table is rendered from the schema', () => {
    expect(variablesSection(README)).toBe(renderVariablesTable());
  });

  test('negative control: a changed doc line is seen', () => {
    const edited = README.replace('The SageMaker project name.', 'The project name.');
    expect(edited).not.toBe(README);
    expect(variablesSection(edited)).not.toBe(renderVariablesTable());
  });
});
