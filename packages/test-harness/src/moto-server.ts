// Runs `moto_server` (the AWS emulator) for a test file or a benchmark: starts it on a free loopback
// port (127.0.0.1 only), waits until it answers HTTP, and stops it by PID afterwards. `useMotoServer`
// wires that into jest's beforeAll/afterAll and points AWS SDK v3 clients at it through the standard
// `AWS_ENDPOINT_URL` variable (plus a region and dummy credentials), restoring the environment after.
// Combine with `describeWithTool(MOTO_SERVER, ...)` so a missing moto_server skips (or fails under CI).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { MOTO_SERVER } from './tools';

/** A running moto_server. */
export interface MotoServer {
  /** Base URL, e.g. `http://127.0.0.1:50123`. */
  readonly endpoint: string;
  /** PID of the moto_server process. */
  readonly pid: number;
  /** Clears every emulated resource (moto's `/moto-api/reset`). */
  reset(): Promise<void>;
  /** Stops the server by PID: SIGTERM, then SIGKILL after `stopTimeoutMs`. Safe to call twice. */
  stop(): Promise<void>;
}

export interface MotoServerOptions {
  /** Executable to run; defaults to `moto_server` on PATH. */
  readonly command?: string;
  /** How long to wait for the server to answer HTTP before giving up (ms). */
  readonly readyTimeoutMs?: number;
  /** How long to wait after SIGTERM before SIGKILL (ms). */
  readonly stopTimeoutMs?: number;
}

const LOOPBACK = '127.0.0.1';
const MAX_CAPTURED_OUTPUT = 64 * 1024;
const POLL_INTERVAL_MS = 100;

/** A TCP port that was free on 127.0.0.1 a moment ago (bind to port 0, read it, release it). */
export async function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => (port === undefined ? reject(new Error('no port assigned')) : resolve(port)));
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a process with this PID exists (signal 0). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answersHttp(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Starts moto_server on a free 127.0.0.1 port and resolves once it answers HTTP. Rejects with the
 * server's stderr if it exits first, or after `readyTimeoutMs` (the process is then killed).
 */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  const command = options.command ?? MOTO_SERVER.command;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  const port = await findFreeLoopbackPort();
  const endpoint = `http://${LOOPBACK}:${port}`;

  const child = spawn(command, ['-H', LOOPBACK, '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  let output = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (output.length < MAX_CAPTURED_OUTPUT) output += chunk;
  });
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  // If the test process exits without calling stop(), do not leave the emulator behind.
  const killOnExit = (): void => {
    if (exit === undefined && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (exit !== undefined || spawnError !== undefined || child.pid === undefined) return;
    process.kill(child.pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const stoppedInTime = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), stopTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!stoppedInTime && isAlive(child.pid)) {
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (spawnError !== undefined) {
      process.removeListener('exit', killOnExit);
      throw new Error(
        `could not run ${command}: ${spawnError.message}. Install it with: ${MOTO_SERVER.installHint}`,
      );
    }
    if (exit !== undefined) {
      process.removeListener('exit', killOnExit);
      throw new Error(
        `${command} exited before answering on ${endpoint} (code ${exit.code}, signal ${exit.signal}); stderr:\n${output.trim()}`,
      );
    }
    if (await answersHttp(endpoint)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `${command} did not answer on ${endpoint} within ${readyTimeoutMs} ms; stderr:\n${output.trim()}`,
      );
    }
    await delay(POLL_INTERVAL_MS);
  }

  const pid = child.pid as number;
  return {
    endpoint,
    pid,
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    stop,
  };
}

/** Environment variables `useMotoServer` sets (or clears) while the server runs. */
export const MOTO_ENVIRONMENT_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
] as const;

/** The region tests run in against moto (its account is always 123456789012). */
export const MOTO_REGION = 'us-east-1';
/** The account moto reports for every resource. */
export const MOTO_ACCOUNT_ID = '123456789012';

/** What `useMotoServer` returns; its fields are readable from `beforeAll` hooks declared after it. */
export interface MotoServerHandle {
  /** The running server (throws when read before the jest `beforeAll` hook ran). */
  readonly server: MotoServer;
  readonly endpoint: string;
}

/**
 * Starts moto_server once for the enclosing jest `describe` (beforeAll) and stops it afterwards
 * (afterAll). While it runs, `AWS_ENDPOINT_URL`, `AWS_REGION` and dummy credentials point every AWS
 * SDK v3 client created in the tests at it; the previous values are restored afterwards.
 */
export function useMotoServer(options: MotoServerOptions = {}): MotoServerHandle {
  let server: MotoServer | undefined;
  const saved = new Map<string, string | undefined>();

  beforeAll(
    async () => {
      server = await startMotoServer(options);
      for (const key of MOTO_ENVIRONMENT_KEYS) saved.set(key, process.env[key]);
      process.env.AWS_ENDPOINT_URL = server.endpoint;
      process.env.AWS_REGION = MOTO_REGION;
      process.env.AWS_ACCESS_KEY_ID = 'testing';
      process.env.AWS_SECRET_ACCESS_KEY = 'testing';
      delete process.env.AWS_SESSION_TOKEN;
      delete process.env.AWS_PROFILE;
    },
    (options.readyTimeoutMs ?? 30_000) + 5_000,
  );

  afterAll(async () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await server?.stop();
  });

  const current = (): MotoServer => {
    if (server === undefined) {
      throw new Error('moto_server is not running yet: read it inside a test or hook');
    }
    return server;
  };
  return {
    get server() {
      return current();
    },
    get endpoint() {
      return current().endpoint;
    },
  };
}
