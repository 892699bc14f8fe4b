// `npx projen seed:examples [--check]`: writes each seeded repository's config/example-environment.json
// from the environment contract (@mlops-templates/project-contract) and the variables the seed declares
// (scripts/seed-environments.ts). With --check it writes nothing and exits 1 naming each file that
// differs from what generation gives (test/environment-contract.test.ts runs the same comparison).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderExampleEnvironment } from '@mlops-templates/project-contract';
import { ALL_SEED_ENVIRONMENTS, exampleEnvironmentFile, type SeedEnvironment } from './seed-environments';

/** The generated text of a seed's example file. */
export function generatedExample(seed: SeedEnvironment): string {
  return renderExampleEnvironment(seed.exampleVariables);
}

/** The seeds whose committed example file differs from the generated one (empty when all agree). */
export function staleExamples(
  read: (file: string) => string = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''),
): string[] {
  return ALL_SEED_ENVIRONMENTS.filter(
    (seed) => read(exampleEnvironmentFile(seed)) !== generatedExample(seed),
  ).map((seed) => path.relative(process.cwd(), exampleEnvironmentFile(seed)));
}

if (require.main === module) {
  if (process.argv.includes('--check')) {
    const stale = staleExamples();
    for (const file of stale) {
      process.stderr.write(`${file}: differs from the contract (npx projen seed:examples)\n`);
    }
    process.exit(stale.length === 0 ? 0 : 1);
  }
  for (const seed of ALL_SEED_ENVIRONMENTS) {
    const file = exampleEnvironmentFile(seed);
    fs.writeFileSync(file, generatedExample(seed));
    process.stdout.write(
      `${path.relative(process.cwd(), file)}: ${seed.exampleVariables.length} variables\n`,
    );
  }
}
