// config/example-environment.json is what the contract renders for this repository's variables (so
// `npm run definition` falls back to the values a real project gets), and it parses.
import * as fs from 'node:fs';
import { renderExampleEnvironment } from '@mlops-templates/project-contract';
import {
  EXAMPLE_ENVIRONMENT_FILE,
  EXAMPLE_ENVIRONMENT_VARIABLES,
  exampleEnvironment,
  MODEL_BUILD_VARIABLES,
  parseEnvironment,
} from '../src/config/environment';

describe('config/example-environment.json', () => {
  test('is the contract rendering of the variables this repository reads', () => {
    expect(fs.readFileSync(EXAMPLE_ENVIRONMENT_FILE, 'utf8')).toBe(
      renderExampleEnvironment(EXAMPLE_ENVIRONMENT_VARIABLES),
    );
  });

  test('parses, and holds every variable the scripts read', () => {
    const examples = exampleEnvironment();
    expect(() => parseEnvironment(examples)).not.toThrow();
    for (const name of MODEL_BUILD_VARIABLES) expect(examples).toHaveProperty(name);
  });

  test('an edited file differs from the rendering (negative control)', () => {
    const edited = fs.readFileSync(EXAMPLE_ENVIRONMENT_FILE, 'utf8').replace('"rmse"', '"mae"');
    expect(edited).not.toBe(renderExampleEnvironment(EXAMPLE_ENVIRONMENT_VARIABLES));
  });
});
