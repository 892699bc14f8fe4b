// Benchmark of mlops-loop-sim: milliseconds per run of each shipped scenario (DeepAR: 30 days hourly; the
// tabular covariate-drift: 14 days) (median of
// 5 runs after one warm-up), the figure issue #14 asks to stay under a second.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../src/scenario';
import { simulate } from '../src/simulator';

const RUNS = 5;

async function main(): Promise<void> {
  const dir = join(__dirname, '..', 'scenarios');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const scenario = parseScenario(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    await simulate(scenario);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = process.hrtime.bigint();
      await simulate(scenario);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${scenario.name.padEnd(20)} ${scenario.days} days ${scenario.frequency}: ${times[Math.floor(RUNS / 2)].toFixed(0)} ms per run (median of ${RUNS}, min ${times[0].toFixed(0)} ms)`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
