// Test helpers: an in-memory object store standing in for S3, a capturing logger and output, and
// the example environment.
import type { LogPort } from '@mlops-templates/metrics';
import { Output } from '../src/cli/common';
import { environmentWithExamples, ModelBuildEnvironment, parseEnvironment } from '../src/config/environment';

export class MemoryStore {
  readonly objects = new Map<string, { body: string; contentType: string }>();

  readText = async (uri: string): Promise<string> => {
    const object = this.objects.get(uri);
    if (object === undefined) throw new Error(`NoSuchKey: ${uri}`);
    return object.body;
  };

  writeText = async (uri: string, body: string, contentType: string): Promise<void> => {
    this.objects.set(uri, { body, contentType });
  };

  keys(): string[] {
    return [...this.objects.keys()].sort();
  }

  lines(uri: string): string[] {
    const object = this.objects.get(uri);
    if (object === undefined) throw new Error(`no object ${uri}; have ${this.keys().join(', ')}`);
    return object.body.split('\n').filter((line) => line !== '');
  }
}

export interface CapturedLog {
  level: 'info' | 'warn' | 'error';
  message: string;
  details?: Record<string, unknown>;
}

export function captureLogger(): LogPort & { entries: CapturedLog[] } {
  const entries: CapturedLog[] = [];
  return {
    entries,
    info: (message, details) => entries.push({ level: 'info', message, details }),
    warn: (message, details) => entries.push({ level: 'warn', message, details }),
    error: (message, details) => entries.push({ level: 'error', message, details }),
  };
}

export function captureOutput(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

/** The example environment (config/example-environment.json) with overrides. */
export function exampleEnv(overrides: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...environmentWithExamples({}), ...overrides };
}

export function parsedExampleEnv(overrides: Record<string, string> = {}): ModelBuildEnvironment {
  return parseEnvironment(exampleEnv(overrides));
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A GetObject body (only what the code reads: transformToByteArray). */
export function s3Body(content: string | Uint8Array): never {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return { transformToByteArray: async () => bytes } as never;
}
