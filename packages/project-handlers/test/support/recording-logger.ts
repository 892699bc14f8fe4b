// A LogPort that records entries, so tests can assert what the cores log.
import type { LogAttributes, LogPort } from '@mlops-templates/metrics';

export interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes?: LogAttributes;
}

export class RecordingLogger implements LogPort {
  readonly entries: LogEntry[] = [];

  info(message: string, attributes?: LogAttributes): void {
    this.entries.push({ level: 'info', message, attributes });
  }

  warn(message: string, attributes?: LogAttributes): void {
    this.entries.push({ level: 'warn', message, attributes });
  }

  error(message: string, attributes?: LogAttributes): void {
    this.entries.push({ level: 'error', message, attributes });
  }

  messages(level?: LogEntry['level']): string[] {
    return this.entries.filter((e) => level === undefined || e.level === level).map((e) => e.message);
  }
}

/** An error shaped like an AWS SDK service exception. */
export function awsError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
