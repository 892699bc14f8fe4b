// The Lambda entry files: cold-start configuration, wiring of the real SDK clients (mocked at the class
// level), and bundling with esbuild as NodejsFunction does (no dynamic requires, no missing modules).
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { PROJECT_HANDLER_ENTRIES } from '../src/entries';
import { createEvent } from './support/teardown-fixtures';

// The files the product stacks bundle, from the one typed map (src/entries.ts).
const ENTRIES = Object.values(PROJECT_HANDLER_ENTRIES).map((file) => basename(file));
const SRC = join(__dirname, '..', 'src');
const savedEnv = { ...process.env };

beforeEach(() => {
  process.env = { ...savedEnv, POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'eu-west-1' };
});

afterAll(() => {
  process.env = savedEnv;
});

/**
 * Loads an entry in a fresh module registry (so its cold-start code runs with the test's environment).
 * `setup` runs in the same registry first: SDK classes must be mocked there to be the ones the entry uses.
 */
async function loadEntry<T, M = undefined>(
  file: string,
  setup?: () => Promise<M>,
): Promise<{ entry: T; mocks: M }> {
  let loaded: { entry: T; mocks: M } | undefined;
  await jest.isolateModulesAsync(async () => {
    const mocks = (setup ? await setup() : undefined) as M;
    loaded = { entry: (await import(join(SRC, file))) as T, mocks };
  });
  return loaded as { entry: T; mocks: M };
}

interface S3Mocks {
  puts(): (string | undefined)[];
  restore(): void;
}

/** Mocks S3Client (class level) in the current module registry: no state, no data yet. */
async function mockS3(): Promise<S3Mocks> {
  const s3 = await import('@aws-sdk/client-s3');
  const { mockClient } = await import('aws-sdk-client-mock');
  const mock = mockClient(s3.S3Client);
  const notFound = Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
  mock.on(s3.GetObjectCommand).rejects(notFound);
  mock.on(s3.ListObjectsV2Command).resolves({});
  mock.on(s3.PutObjectCommand).resolves({});
  return {
    puts: () => mock.commandCalls(s3.PutObjectCommand).map((c) => c.args[0].input.Key),
    restore: () => mock.restore(),
  };
}

interface CodePipelineMocks {
  starts(): number;
  restore(): void;
}

async function mockCodePipeline(): Promise<CodePipelineMocks> {
  const cp = await import('@aws-sdk/client-codepipeline');
  const { mockClient } = await import('aws-sdk-client-mock');
  const mock = mockClient(cp.CodePipelineClient);
  return {
    starts: () => mock.commandCalls(cp.StartPipelineExecutionCommand).length,
    restore: () => mock.restore(),
  };
}

describe('synthetic-data entry', () => {
  it('fails at cold start with the names of the invalid variables', async () => {
    process.env.FREQUENCY = '1 month';
    await expect(loadEntry('synthetic-data.ts')).rejects.toThrow(/DATA_BUCKET is not set; FREQUENCY: /);
  });

  it('runs with a valid environment', async () => {
    Object.assign(process.env, {
      DATA_BUCKET: 'bucket-x',
      DATA_PREFIX: 'data/synthetic',
      FREQUENCY: '1D',
      TIMESTAMP_COLUMN: 'timestamp',
      TARGET_COLUMN: 'target',
      ITEM_ID_COLUMN: 'none',
      BACKFILL_POINTS: '30',
    });
    const { entry, mocks } = await loadEntry<
      { handler: (event: unknown) => Promise<{ rowsWritten: number }> },
      S3Mocks
    >('synthetic-data.ts', mockS3);
    try {
      await expect(entry.handler({})).resolves.toMatchObject({ rowsWritten: 30 });
      expect(mocks.puts()).toEqual([
        expect.stringMatching(
          /^data\/synthetic\/dt=\d{4}-\d{2}-\d{2}\/part-\d{8}T000000Z-\d{8}T000000Z\.csv$/,
        ),
        'data/synthetic/_state.json',
      ]);
    } finally {
      mocks.restore();
    }
  });
});

describe('tabular-synthetic-data entry', () => {
  it('fails at cold start naming the contract variables that are missing or invalid', async () => {
    Object.assign(process.env, { PROBLEM_TYPE: 'ranking' });
    await expect(loadEntry('tabular-synthetic-data.ts')).rejects.toThrow(
      /PROJECT_BUCKET is not set.*PROBLEM_TYPE: must be "regression", "binary" or "multiclass"/,
    );
  });

  it('writes labels, data and state with a valid environment', async () => {
    Object.assign(process.env, {
      PROJECT_BUCKET: 'bucket-x',
      DATA_PREFIX: 'data/tabular/',
      SYNTHETIC_LABELS_PREFIX: 'labels/',
      PROBLEM_TYPE: 'regression',
      TARGET_COLUMN: 'target',
      SYNTHETIC_ROWS_PER_HOUR: '5',
      SYNTHETIC_BACKFILL_HOURS: '2',
    });
    const { entry, mocks } = await loadEntry<
      { handler: (event: unknown) => Promise<{ rowsWritten: number }> },
      S3Mocks
    >('tabular-synthetic-data.ts', mockS3);
    try {
      await expect(entry.handler({})).resolves.toMatchObject({ rowsWritten: 10 });
      expect(mocks.puts()).toEqual([
        expect.stringMatching(/^labels\/dt=\d{4}-\d{2}-\d{2}\/part-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/),
        expect.stringMatching(/^data\/tabular\/dt=\d{4}-\d{2}-\d{2}\/part-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/),
        'data/tabular/_state.json',
      ]);
    } finally {
      mocks.restore();
    }
  });
});

describe('tabular-synthetic-traffic entry', () => {
  it('fails at cold start naming the contract variables that are missing or invalid', async () => {
    Object.assign(process.env, { SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN: 'many' });
    await expect(loadEntry('tabular-synthetic-traffic.ts')).rejects.toThrow(
      /PROJECT_BUCKET is not set.*SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN: must be a number/,
    );
  });

  it('skips both stages before the first endpoint exists, writing nothing', async () => {
    Object.assign(process.env, {
      PROJECT_BUCKET: 'bucket-x',
      DATA_PREFIX: 'data/tabular/',
      LABELS_PREFIX: 'labels/',
      TARGET_COLUMN: 'target',
      STAGING_ENDPOINT_NAME: 'sagemaker-p-1-staging',
      PROD_ENDPOINT_NAME: 'sagemaker-p-1-prod',
    });
    const { entry, mocks } = await loadEntry<
      { handler: (event: unknown) => Promise<{ stages: Record<string, { status: string }> }> },
      S3Mocks & { restoreSageMaker(): void }
    >('tabular-synthetic-traffic.ts', async () => {
      const s3 = await mockS3();
      const sm = await import('@aws-sdk/client-sagemaker');
      const { mockClient } = await import('aws-sdk-client-mock');
      const mock = mockClient(sm.SageMakerClient);
      const missing = Object.assign(new Error('Could not find endpoint'), { name: 'ValidationException' });
      mock.on(sm.DescribeEndpointCommand).rejects(missing);
      return { ...s3, restoreSageMaker: () => mock.restore() };
    });
    try {
      await expect(entry.handler({})).resolves.toMatchObject({
        stages: { staging: { status: 'skipped' }, prod: { status: 'skipped' } },
      });
      expect(mocks.puts()).toEqual([]);
    } finally {
      mocks.restore();
      mocks.restoreSageMaker();
    }
  });
});

describe('start-deploy-pipeline entry', () => {
  it('fails at cold start without PIPELINE_NAME', async () => {
    process.env.MODEL_PACKAGE_GROUP_NAME = 'g';
    await expect(loadEntry('start-deploy-pipeline.ts')).rejects.toThrow(/PIPELINE_NAME/);
  });

  it('ignores a malformed event without throwing', async () => {
    Object.assign(process.env, { PIPELINE_NAME: 'deploy', MODEL_PACKAGE_GROUP_NAME: 'g' });
    const { entry, mocks } = await loadEntry<
      { handler: (event: unknown) => Promise<{ action: string }> },
      CodePipelineMocks
    >('start-deploy-pipeline.ts', mockCodePipeline);
    try {
      await expect(entry.handler({ nonsense: true })).resolves.toMatchObject({ action: 'ignore' });
      expect(mocks.starts()).toBe(0);
    } finally {
      mocks.restore();
    }
  });
});

describe('teardown entry', () => {
  it('exports onEvent and isComplete for the Provider framework', async () => {
    const { entry } = await loadEntry<{
      onEvent: (e: unknown) => Promise<{ PhysicalResourceId: string }>;
      isComplete: (e: unknown) => Promise<{ IsComplete: boolean }>;
    }>('teardown.ts');
    await expect(entry.onEvent(createEvent())).resolves.toEqual({ PhysicalResourceId: 'teardown-p-abc123' });
    await expect(
      entry.isComplete({ ...createEvent(), PhysicalResourceId: 'teardown-p-abc123' }),
    ).resolves.toEqual({
      IsComplete: true,
    });
  });
});

describe('seed-repositories-resource entry', () => {
  it('answers a Delete through the ResponseURL without any AWS call', async () => {
    const fetchMock = jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response(null, { status: 200 }) as Awaited<ReturnType<typeof fetch>>);
    try {
      const { entry } = await loadEntry<{ handler: (e: unknown, c: unknown) => Promise<void> }>(
        'seed-repositories-resource.ts',
      );
      const event = { ...createEvent(), RequestType: 'Delete', PhysicalResourceId: 'seed-1' };
      await entry.handler(event, { getRemainingTimeInMillis: () => 900_000, functionName: 'f' });
      expect(fetchMock).toHaveBeenCalledTimes(1);
      const [url, init] = fetchMock.mock.calls[0];
      expect(url).toBe(event.ResponseURL);
      expect(init?.method).toBe('PUT');
      expect(JSON.parse(init?.body as string)).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: 'seed-1',
      });
    } finally {
      fetchMock.mockRestore();
    }
  });
});

describe('bundling', () => {
  it.each(ENTRIES)('esbuild bundles %s for Node 20 without warnings', async (entry) => {
    const result = await build({
      entryPoints: [join(SRC, entry)],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
      external: ['@aws-sdk/*'], // NodejsFunction's default for Node 18+ runtimes
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.outputFiles).toHaveLength(1);
  });
});
