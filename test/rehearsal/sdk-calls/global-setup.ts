// Jest globalSetup: starts a fresh recording of the runtime code's AWS SDK calls (previous per-worker
// files and the merged recording removed) and publishes its directory to workers and child processes.
import * as fs from 'node:fs';
import { RECORD_DIR_ENV, RECORDING_DIR, RECORDING_FILE, runtimeDigest } from './recording';

export default function globalSetup(): void {
  fs.rmSync(RECORDING_DIR, { recursive: true, force: true });
  fs.mkdirSync(RECORDING_DIR, { recursive: true });
  fs.writeFileSync(`${RECORDING_FILE}.digest`, runtimeDigest());
  process.env[RECORD_DIR_ENV] = RECORDING_DIR;
}
