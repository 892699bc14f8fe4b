// The one shared recorder of AWS SDK v3 calls, installed in every jest test file's module registry
// (root suite and each seeded repository's suite). It sees every command at the point the code sends
// it, on both paths a test can take:
//  - real clients (e.g. talking to moto): `Client.prototype.send` of @smithy (the method every SDK v3
//    client inherits) is wrapped;
//  - aws-sdk-client-mock stubs, which replace `send` and so bypass the SDK's middleware entirely:
//    `mockClient` is wrapped so the stub it installs is fronted by a recording proxy (the stub itself,
//    its history and its matchers are untouched).
// Each call is recorded with its service, operation, JSON-safe input, the runtime module frames that
// made it (from the stack) and the environment variables whose values occur in the input; the test
// file's distinct calls are appended to a per-worker JSONL file after the file's tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { callKey, type RecordedCall, type RecordedJson, type RecordingLine } from './recording';

/** Where the recorder runs. */
export interface RecorderOptions {
  /** Directory module resolution starts from (the suite's root: its own node_modules). */
  readonly resolveFrom: string;
  /** Directory of the per-worker JSONL files. */
  readonly outDir: string;
  /** Repository-relative path of an absolute file of runtime code, or undefined when not runtime code. */
  readonly runtimePath: (absolute: string) => string | undefined;
  /** Repository-relative path of the running test file. */
  readonly testFile: string;
}

interface SdkCommand {
  readonly input?: unknown;
  readonly constructor: { readonly name: string };
}
interface SdkClient {
  readonly config?: { readonly serviceId?: string };
}
type Send = (this: SdkClient, command: SdkCommand, ...rest: unknown[]) => unknown;

const RECORDER = Symbol.for('rehearsal.sdk-calls.recorder');
const MAX_STRING = 400;

/** JSON-safe copy of a command input. */
export function sanitize(value: unknown, depth = 0): RecordedJson {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array || ArrayBuffer.isView(value)) return '<bytes>';
  if (typeof value === 'function') return '<function>';
  if (depth > 10) return '<deep>';
  if (typeof (value as { pipe?: unknown }).pipe === 'function') return '<stream>';
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, RecordedJson> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined && typeof v !== 'function') out[k] = sanitize(v, depth + 1);
    }
    return out;
  }
  return String(value);
}

/** Every string of a value (full length, before truncation). */
function stringsOf(value: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') {
    out.push(value);
  } else if (value && typeof value === 'object' && depth < 10 && !ArrayBuffer.isView(value)) {
    for (const v of Object.values(value as Record<string, unknown>)) stringsOf(v, out, depth + 1);
  }
  return out;
}

/** Environment variables the input carries (value of length >= 3 equal to or inside an input string). */
export function envIn(input: unknown, env: NodeJS.ProcessEnv): Record<string, string> {
  const strings = stringsOf(input);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (!v || v.length < 3 || /^(PATH|PWD|OLDPWD|HOME|SHELL|TMPDIR|INIT_CWD|npm_.*|JEST_.*)$/.test(k)) {
      continue;
    }
    if (strings.some((s) => s === v || s.includes(v))) out[k] = v;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** Absolute file paths of a stack, innermost first. */
export function stackFiles(stack: string): string[] {
  const out: string[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(([^()]+?):\d+:\d+\)\s*$/.exec(line) ?? /at (?:async )?([^\s()]+?):\d+:\d+\s*$/.exec(line);
    if (m) out.push(m[1].replace(/^file:\/\//, ''));
  }
  return out;
}

/** Installs the recorder in the current module registry (idempotent per registry). */
export function installRecorder(options: RecorderOptions): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[RECORDER]) return;
  g[RECORDER] = true;
  const calls = new Map<string, RecordedCall>();
  const errors: string[] = [];

  const record = (client: SdkClient, command: SdkCommand, via: RecordedCall['via']) => {
    try {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 200;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = limit;
      const frames: string[] = [];
      for (const f of stackFiles(stack)) {
        const rel = options.runtimePath(f);
        if (rel && frames[frames.length - 1] !== rel) frames.push(rel);
      }
      const call: Omit<RecordedCall, 'count'> = {
        service: client.config?.serviceId ?? 'unknown',
        operation: command.constructor.name.replace(/Command$/, ''),
        input: sanitize(command.input ?? {}),
        frames,
        testFile: options.testFile,
        env: envIn(command.input, process.env),
        via,
      };
      const key = callKey(call);
      const seen = calls.get(key);
      calls.set(key, { ...call, count: (seen?.count ?? 0) + 1 });
    } catch (err) {
      errors.push(`could not record a ${command?.constructor?.name ?? 'command'}: ${String(err)}`);
    }
  };

  const resolve = (id: string): string | undefined => {
    try {
      return require.resolve(id, { paths: [options.resolveFrom] });
    } catch {
      return undefined;
    }
  };

  // Real clients: the send every SDK v3 client inherits (@smithy/core/client; older: @smithy/smithy-client).
  let patchedClients = 0;
  for (const id of ['@smithy/core/client', '@smithy/smithy-client']) {
    const file = resolve(id);
    if (!file) continue;
    // The module the suite's SDK clients load, resolved from the suite's root (a dynamic path).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as { Client?: { prototype: { send: Send } } };
    const proto = mod.Client?.prototype;
    if (!proto || (proto.send as { [RECORDER]?: boolean })[RECORDER]) continue;
    const original = proto.send;
    const wrapped: Send = function (this: SdkClient, command, ...rest) {
      record(this, command, 'sdk');
      return original.call(this, command, ...rest);
    };
    (wrapped as { [RECORDER]?: boolean })[RECORDER] = true;
    proto.send = wrapped;
    patchedClients++;
  }
  if (patchedClients === 0) errors.push('no @smithy Client class found: real SDK calls are not recorded');

  // Mocked clients: front the stub mockClient installs with a recording proxy.
  const mockIndex = resolve('aws-sdk-client-mock');
  if (mockIndex) {
    // aws-sdk-client-mock's index re-exports mockClient through a getter: patch the defining module.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(path.dirname(mockIndex), 'mockClient.js')) as {
      mockClient?: (client: unknown, ...rest: unknown[]) => unknown;
    };
    const original = mod.mockClient;
    if (typeof original !== 'function') {
      errors.push(
        'aws-sdk-client-mock has no mockClient export where expected: mocked calls are not recorded',
      );
    } else {
      mod.mockClient = (client: unknown, ...rest: unknown[]) => {
        const stub = original(client, ...rest);
        // The same target mockClient stubbed: an instance (it has send) or the class's prototype.
        const target = (
          (client as { send?: unknown }).send !== undefined
            ? client
            : (client as { prototype: object }).prototype
        ) as { send: Send };
        const inner = target.send;
        const proxy = new Proxy(inner, {
          apply(fn, thisArg: SdkClient, args: [SdkCommand, ...unknown[]]) {
            record(thisArg, args[0], 'mock');
            return Reflect.apply(fn, thisArg, args) as unknown;
          },
        });
        Object.defineProperty(target, 'send', { value: proxy, configurable: true, writable: true });
        return stub;
      };
    }
  }

  afterAll(() => {
    const lines: RecordingLine[] = [
      { kind: 'file', testFile: options.testFile },
      ...[...calls.values()].map((call) => ({ kind: 'call' as const, call })),
      ...errors.map((message) => ({ kind: 'error' as const, testFile: options.testFile, message })),
    ];
    fs.mkdirSync(options.outDir, { recursive: true });
    fs.appendFileSync(
      path.join(options.outDir, `calls-${process.pid}.jsonl`),
      lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
    );
  });
}
