// The chunked JSON Lines reader behind evaluate: line endings, numbering, blank and unterminated
// last lines, UTF-8 sequences and lines that span chunks (files and streams).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { forEachLineOfFile, forEachLineOfFiles, forEachLineOfStream } from '../src/line-reader';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'mlops-metrics-lines-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function fileLines(content: string | Buffer): Promise<[number, string][]> {
  const file = path.join(scratch, `f-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, content);
  const lines: [number, string][] = [];
  await forEachLineOfFile(file, (line, n) => lines.push([n, line]));
  return lines;
}

async function streamLines(chunks: (Buffer | string)[]): Promise<[number, string][]> {
  const lines: [number, string][] = [];
  await forEachLineOfStream(Readable.from(chunks), (line, n) => lines.push([n, line]));
  return lines;
}

describe('forEachLineOfFile', () => {
  it('splits on \\n and \\r\\n, numbers from 1, keeps blank lines and an unterminated last line', async () => {
    expect(await fileLines('{"a":1}\r\n\n{"b":"é ✓"}\n  \n{"c":3}')).toEqual([
      [1, '{"a":1}'],
      [2, ''],
      [3, '{"b":"é ✓"}'],
      [4, '  '],
      [5, '{"c":3}'],
    ]);
    expect(await fileLines('')).toEqual([]);
    expect(await fileLines('\n')).toEqual([[1, '']]);
  });

  it('keeps a line longer than a chunk whole, with a UTF-8 sequence across the chunk boundary', async () => {
    const chunk = 8 * 1024 * 1024;
    // "é" (2 bytes) starts at the last byte of the first chunk.
    const long = `${'x'.repeat(chunk - 1)}é${'y'.repeat(chunk)}`;
    const lines = await fileLines(`first\n${long}\nlast`);
    expect(lines.map(([n, l]) => [n, l.length])).toEqual([
      [1, 5],
      [2, long.length],
      [3, 4],
    ]);
    expect(lines[1][1]).toBe(long);
  });
});

describe('forEachLineOfFiles', () => {
  it('numbers each file from 1 and never joins the unterminated last line of one file to the next', async () => {
    const files = ['a\nb', '', 'c\r\n', 'd'].map((content, i) => {
      const file = path.join(scratch, `multi-${i}.jsonl`);
      writeFileSync(file, content);
      return file;
    });
    const lines: [number, number, string][] = [];
    await forEachLineOfFiles(files, (line, n, fileIndex) => lines.push([fileIndex, n, line]));
    expect(lines).toEqual([
      [0, 1, 'a'],
      [0, 2, 'b'],
      [2, 1, 'c'],
      [3, 1, 'd'],
    ]);
  });

  it('fails with the file system error for a missing file', async () => {
    await expect(forEachLineOfFiles([path.join(scratch, 'missing.jsonl')], () => undefined)).rejects.toThrow(
      /ENOENT/,
    );
  });
});

describe('forEachLineOfStream', () => {
  it('joins lines and UTF-8 sequences split across Buffer chunks', async () => {
    const bytes = Buffer.from('{"name":"café"}\r\n{"n":2}\n{"n":3}');
    const cut = bytes.indexOf(Buffer.from('é')) + 1; // inside "é"
    expect(
      await streamLines([
        bytes.subarray(0, 3),
        bytes.subarray(3, cut),
        bytes.subarray(cut, 20),
        bytes.subarray(20),
      ]),
    ).toEqual([
      [1, '{"name":"café"}'],
      [2, '{"n":2}'],
      [3, '{"n":3}'],
    ]);
  });

  it('reads string chunks', async () => {
    expect(await streamLines(['a\nb', 'c\n', '\nd'])).toEqual([
      [1, 'a'],
      [2, 'bc'],
      [3, ''],
      [4, 'd'],
    ]);
  });
});
