// JSON Lines input read in large chunks: files are read 8 MiB at a time (one read ahead), lines
// are found in the bytes and each is decoded on its own (a Latin-1 copy when ASCII), so the only
// per-line allocation is the string JSON.parse needs. "\n" and "\r\n" end lines; numbers are 1-based.

import { isAscii } from 'node:buffer';
import { closeSync, openSync, read } from 'node:fs';
import type { Readable } from 'node:stream';

/** Receives one line (without its line ending) and its 1-based line number. */
export type LineHandler = (line: string, lineNumber: number) => void;

const CHUNK_BYTES = 8 * 1024 * 1024;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

/** UTF-8 bytes as a string; ASCII (the usual case) is copied as Latin-1, ~3x faster to decode. */
function decode(buffer: Buffer, start: number, end: number): string {
  return isAscii(buffer.subarray(start, end))
    ? buffer.toString('latin1', start, end)
    : buffer.toString('utf8', start, end);
}

/** Calls `onLine` for every line of `text`, numbering from `firstLine`; returns the next number. */
function splitLines(text: string, firstLine: number, onLine: LineHandler): number {
  let lineNumber = firstLine;
  let start = 0;
  const length = text.length;
  while (start < length) {
    let newline = text.indexOf('\n', start);
    if (newline < 0) newline = length;
    const end = newline > start && text.charCodeAt(newline - 1) === CARRIAGE_RETURN ? newline - 1 : newline;
    onLine(text.slice(start, end), lineNumber++);
    start = newline + 1;
  }
  return lineNumber;
}

/**
 * Calls `onLine` for every line of `buffer[start, end)`, which ends with a newline, each decoded on
 * its own (one young string per line: no large chunk string kept alive by its slices).
 */
function splitBufferLines(
  buffer: Buffer,
  start: number,
  end: number,
  firstLine: number,
  onLine: LineHandler,
): number {
  let lineNumber = firstLine;
  let from = start;
  // One check for the whole range (the usual all-ASCII chunk), else one per line.
  const ascii = isAscii(buffer.subarray(start, end));
  while (from < end) {
    let newline = buffer.indexOf(NEWLINE, from);
    if (newline < 0 || newline >= end) newline = end;
    const to = newline > from && buffer[newline - 1] === CARRIAGE_RETURN ? newline - 1 : newline;
    onLine(ascii ? buffer.toString('latin1', from, to) : decode(buffer, from, to), lineNumber++);
    from = newline + 1;
  }
  return lineNumber;
}

/** Receives one line, its 1-based line number and the index of its file. */
export type FileLineHandler = (line: string, lineNumber: number, fileIndex: number) => void;

/** A chunk read from one of the files. */
interface Chunk {
  readonly fileIndex: number;
  readonly buffer: Buffer;
  readonly bytesRead: number;
}

/**
 * Reads files one after the other in large chunks and calls `onLine` for each of their lines
 * (UTF-8). Exactly one read is in flight while a chunk is processed: the next chunk of the file, or
 * the first chunk of the next file (opened then); a short read ends a file.
 */
export async function forEachLineOfFiles(files: readonly string[], onLine: FileLineHandler): Promise<void> {
  const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
  let next = 0;
  let fileIndex = 0;
  let fd: number | undefined;
  let position = 0;
  // Starts one positioned read (a single request to the thread pool) into the other buffer.
  const startRead = (): Promise<Chunk> | undefined => {
    if (fileIndex >= files.length) return undefined;
    fd ??= openSync(files[fileIndex], 'r');
    const buffer = buffers[next];
    next = 1 - next;
    const index = fileIndex;
    const handle = fd;
    return new Promise((resolve, reject) =>
      read(handle, buffer, 0, CHUNK_BYTES, position, (error, bytesRead) =>
        error ? reject(error) : resolve({ fileIndex: index, buffer, bytesRead }),
      ),
    );
  };
  let pending = startRead();
  try {
    let lineNumber = 1;
    // Bytes (copied) of a line that started in an earlier chunk and has not ended yet.
    let carried: Buffer[] = [];
    while (pending !== undefined) {
      const { fileIndex: index, buffer, bytesRead } = await pending;
      const fileEnded = bytesRead < CHUNK_BYTES;
      position += bytesRead;
      if (fileEnded) {
        closeSync(fd!);
        fd = undefined;
        fileIndex++;
        position = 0;
      }
      pending = startRead();
      const emit: LineHandler = (line, n) => onLine(line, n, index);
      let start = 0;
      if (carried.length > 0) {
        const first = buffer.indexOf(NEWLINE);
        if (first >= 0 && first < bytesRead) {
          const line = Buffer.concat([...carried, buffer.subarray(0, first + 1)]);
          lineNumber = splitBufferLines(line, 0, line.length, lineNumber, emit);
          carried = [];
          start = first + 1;
        } else {
          start = bytesRead;
          carried.push(Buffer.from(buffer.subarray(0, bytesRead)));
        }
      }
      const last = bytesRead > start ? buffer.lastIndexOf(NEWLINE, bytesRead - 1) : -1;
      if (last >= start) {
        lineNumber = splitBufferLines(buffer, start, last + 1, lineNumber, emit);
        start = last + 1;
      }
      if (start < bytesRead) carried.push(Buffer.from(buffer.subarray(start, bytesRead)));
      if (fileEnded) {
        // The file's last line, without a line ending.
        if (carried.length > 0) {
          const rest = Buffer.concat(carried);
          splitBufferLines(rest, 0, rest.length, lineNumber, emit);
          carried = [];
        }
        lineNumber = 1;
      }
    }
  } finally {
    await pending?.catch(() => undefined);
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads a file in large chunks and calls `onLine` for each of its lines (UTF-8). */
export function forEachLineOfFile(file: string, onLine: LineHandler): Promise<void> {
  return forEachLineOfFiles([file], (line, lineNumber) => onLine(line, lineNumber));
}

/** Calls `onLine` for each line of a stream of `Buffer` (UTF-8) or string chunks. */
export async function forEachLineOfStream(input: Readable, onLine: LineHandler): Promise<void> {
  let lineNumber = 1;
  // Chunks of an unfinished line (kept apart, joined once its end arrives).
  let pending: (Buffer | string)[] = [];
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const lastNewline = typeof chunk === 'string' ? chunk.lastIndexOf('\n') : chunk.lastIndexOf(NEWLINE);
    if (lastNewline < 0) {
      pending.push(chunk);
      continue;
    }
    // The head of this chunk completes the pending line; decoded together (UTF-8 sequences may
    // span chunks).
    pending.push(
      typeof chunk === 'string' ? chunk.slice(0, lastNewline + 1) : chunk.subarray(0, lastNewline + 1),
    );
    lineNumber = splitLines(join(pending), lineNumber, onLine);
    if (lastNewline + 1 >= chunk.length) {
      pending = [];
    } else {
      pending = [typeof chunk === 'string' ? chunk.slice(lastNewline + 1) : chunk.subarray(lastNewline + 1)];
    }
  }
  const rest = join(pending);
  if (rest.length > 0) splitLines(rest, lineNumber, onLine);
}

function join(chunks: readonly (Buffer | string)[]): string {
  if (chunks.length === 0) return '';
  if (chunks.length === 1) {
    const only = chunks[0];
    return typeof only === 'string' ? only : decode(only, 0, only.length);
  }
  if (chunks.every((c) => typeof c !== 'string')) {
    const bytes = Buffer.concat(chunks as Buffer[]);
    return decode(bytes, 0, bytes.length);
  }
  return chunks.map((c) => (typeof c === 'string' ? c : c.toString('utf8'))).join('');
}
