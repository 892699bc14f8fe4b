// `npx projen rehearse`: synthesizes the portfolio with the committed config, runs the deployment
// rehearsal and prints the report. Exit 0 when it passes, 1 on any untracked denial or stale entry,
// 2 when the rehearsal itself cannot run.
import { readEmitted, rehearse } from './rehearsal';
import { formatReport, verdict } from './report';
import { sharedCommittedSynth } from '../support/synth';

async function main(): Promise<number> {
  const synth = sharedCommittedSynth();
  const report = await rehearse(readEmitted(synth.portfolioTemplateFile, synth.productTemplateFiles));
  const v = verdict(report);
  console.log(formatReport(report, v));
  return v.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(
      `rehearsal could not run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    process.exit(2);
  },
);
