// Jest globalTeardown: merges the workers' JSONL files into the one recording the rehearsal reads
// (test/rehearsal/.recorded/recording.json, git-ignored).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeLines, readWorkerLines, RECORDING_DIR, RECORDING_FILE } from './recording';

export default function globalTeardown(): void {
  if (!fs.existsSync(`${RECORDING_FILE}.digest`)) {
    // Another jest run started meanwhile and reset the directory: its own teardown writes the recording.
    process.stderr.write('recording: another jest run reset test/rehearsal/.recorded; not merged here\n');
    return;
  }
  const digest = fs.readFileSync(`${RECORDING_FILE}.digest`, 'utf8');
  const recording = mergeLines(readWorkerLines(RECORDING_DIR), digest);
  fs.writeFileSync(RECORDING_FILE, JSON.stringify(recording, null, 1) + '\n');
  for (const f of fs.readdirSync(RECORDING_DIR)) {
    if (f.endsWith('.jsonl') || f.endsWith('.digest')) fs.rmSync(path.join(RECORDING_DIR, f));
  }
}
