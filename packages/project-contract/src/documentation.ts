// The variables table of the README, rendered from the environment schema (the README is checked
// against it by test/readme.test.ts, so the documentation cannot drift from the schema).
import { describeVariable, PROJECT_VARIABLES, sourceOf } from './environment';

/** Markdown table: variable, who sets it, doc line — one row per variable of the contract. */
export function renderVariablesTable(): string {
  const rows = PROJECT_VARIABLES.map(
    (name) => `| \`${name}\` | ${sourceOf(name)} | ${describeVariable(name)} |`,
  );
  return ['| Variable | Set by | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The README section between the `<!-- variables:start -->` and `<!-- variables:end -->` markers. */
export function variablesSection(readme: string): string | undefined {
  const match = /<!-- variables:start -->\n([\s\S]*?)\n<!-- variables:end -->/.exec(readme);
  return match?.[1];
}
