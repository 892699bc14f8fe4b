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

describe('tabular-synthetic-data entry as the first-data custom resource', () => {
  const TABULAR_ENV = {
    PROJECT_BUCKET: 'bucket-x',
    DATA_PREFIX: 'data/tabular/',
    SYNTHETIC_LABELS_PREFIX: 'labels/',
    PROBLEM_TYPE: 'binary',
    TARGET_COLUMN: 'churned',
    SYNTHETIC_ROWS_PER_HOUR: '4',
    SYNTHETIC_BACKFILL_HOURS: '3',
  };
  const cfnEvent = (RequestType: 'Create' | 'Delete') => ({
    RequestType,
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:sagemaker-p-abc123-synthetic-data',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/signed',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/sc-1/abc',
    RequestId: 'req-7',
    LogicalResourceId: 'SyntheticDataFirstData',
    ResourceType: 'Custom::SageMakerProjectSyntheticFirstData',
    ResourceProperties: { ServiceToken: 'x' },
    ...(RequestType === 'Create' ? {} : { PhysicalResourceId: 'synthetic-first-data-req-0' }),
  });
  type Entry = { handler: (event: unknown) => Promise<unknown> };

  /** The entry with S3 mocked (no state, no data; `getError` makes GetObject fail) and the response PUT recorded. */
  async function load(getError?: Error) {
    Object.assign(process.env, TABULAR_ENV);
    const fetchMock = jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response(null, { status: 200 }) as Awaited<ReturnType<typeof fetch>>);
    const { entry, mocks } = await loadEntry<Entry, S3Mocks & { calls(): number }>(
      'tabular-synthetic-data.ts',
      async () => {
        const s3 = await import('@aws-sdk/client-s3');
        const { mockClient } = await import('aws-sdk-client-mock');
        const mock = mockClient(s3.S3Client);
        const notFound = Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
        mock.on(s3.GetObjectCommand).rejects(getError ?? notFound);
        mock.on(s3.ListObjectsV2Command).resolves({});
        mock.on(s3.PutObjectCommand).resolves({});
        return {
          puts: () => mock.commandCalls(s3.PutObjectCommand).map((c) => c.args[0].input.Key),
          calls: () => mock.calls().length,
          restore: () => mock.restore(),
        };
      },
    );
    const responses = () =>
      fetchMock.mock.calls.map(([url, init]) => ({
        url,
        method: init?.method,
        body: JSON.parse(init?.body as string) as Record<string, unknown>,
      }));
    const restore = () => {
      mocks.restore();
      fetchMock.mockRestore();
    };
    return { entry, mocks, responses, restore };
  }

  it('Create runs the generator (labels, data, state) and answers SUCCESS with RowsWritten and LastTimestamp', async () => {
    const { entry, mocks, responses, restore } = await load();
    try {
      await expect(entry.handler(cfnEvent('Create'))).resolves.toBeUndefined();
      expect(mocks.puts()).toEqual([
        expect.stringMatching(/^labels\/dt=/),
        expect.stringMatching(/^data\/tabular\/dt=/),
        'data/tabular/_state.json',
      ]);
      const [response] = responses();
      expect(responses()).toHaveLength(1);
      expect(response).toMatchObject({
        url: 'https://cloudformation-custom-resource-response.example/signed',
        method: 'PUT',
        body: {
          Status: 'SUCCESS',
          PhysicalResourceId: 'synthetic-first-data-req-7',
          RequestId: 'req-7',
          Reason: '12 rows written',
          Data: {
            RowsWritten: '12',
            LastTimestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/),
          },
        },
      });
      // The last hour written is the last ended hour (the backfill ends there).
      const lastHour = Date.parse((response.body.Data as { LastTimestamp: string }).LastTimestamp);
      expect(Date.now() - lastHour).toBeGreaterThanOrEqual(3_600_000);
      expect(Date.now() - lastHour).toBeLessThan(2 * 3_600_000);
    } finally {
      restore();
    }
  });

  it('a failing run answers FAILED with the reason (the creation fails instead of a first build on no data)', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    const { entry, mocks, responses, restore } = await load(denied);
    try {
      await expect(entry.handler(cfnEvent('Create'))).resolves.toBeUndefined();
      expect(mocks.puts()).toEqual([]);
      expect(responses()).toEqual([
        expect.objectContaining({
          body: expect.objectContaining({
            Status: 'FAILED',
            Reason: expect.stringMatching(/^Synthetic data generation failed: GetObject .*Access Denied/),
          }),
        }),
      ]);
    } finally {
      restore();
    }
  });

  it('Delete answers SUCCESS without any S3 call; a schedule event still runs and returns the result', async () => {
    const { entry, mocks, responses, restore } = await load();
    try {
      await entry.handler(cfnEvent('Delete'));
      expect(mocks.calls()).toBe(0);
      expect(responses()).toEqual([
        expect.objectContaining({
          body: expect.objectContaining({
            Status: 'SUCCESS',
            PhysicalResourceId: 'synthetic-first-data-req-0',
          }),
        }),
      ]);
      // Negative control: the scheduled invocation is not a custom resource event.
      await expect(entry.handler({ source: 'schedule' })).resolves.toMatchObject({ rowsWritten: 12 });
      expect(responses()).toHaveLength(1);
    } finally {
      restore();
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
