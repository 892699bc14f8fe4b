// One (then a second) collection cycle against moto_server (AWS emulator, started here on a free
// 127.0.0.1 port and stopped by PID): series CSV in S3, project configuration and threshold in SSM,
// the endpoint/config/model in SageMaker; only the endpoint invocation itself is stubbed (moto has no
// DeepAR). Checks the ground-truth objects written and reads the metrics back with GetMetricData.
// Skipped with an install hint when moto_server is missing; a failure under CI.
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { parseGroundTruthLine } from '@mlops-templates/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import { type CollectorEnvironment, runCollection } from '../src/collector/collect';
import { describeWithTool, MOTO_ACCOUNT_ID, MOTO_SERVER, useMotoServer } from '@mlops-templates/test-harness';
import { fakeDeepArResponse, HOUR, seriesObjects, seriesValue } from './support/series-data';

const BUCKET = `sagemaker-p-moto-${MOTO_ACCOUNT_ID}`;
const NAMESPACE = 'SageMakerProjects/demo-p-moto';
const ENDPOINT = 'sagemaker-p-moto-staging';
const HORIZON = 6;
const PACKAGE_ARN = `arn:aws:sagemaker:us-east-1:${MOTO_ACCOUNT_ID}:model-package/sagemaker-demo-p-moto/3`;

describeWithTool(MOTO_SERVER, 'collector against moto_server', () => {
  useMotoServer();
  // Only the endpoint call is stubbed; every other client talks to moto through AWS_ENDPOINT_URL.
  const runtimeMock = mockClient(SageMakerRuntimeClient);
  afterAll(() => runtimeMock.restore());

  const T = Math.floor(Date.now() / HOUR) * HOUR - 10 * HOUR;
  const environment: CollectorEnvironment = {
    stage: 'staging',
    endpointName: ENDPOINT,
    bucket: BUCKET,
    metricNamespace: NAMESPACE,
    configParameterName: '/sagemaker/demo-p-moto/config',
    thresholdParameterName: '/sagemaker/demo-p-moto/staging/alarm-threshold',
    monitoringPrefix: 'monitoring/',
    groundTruthPrefix: 'ground-truth/',
    dataCapturePrefix: 'data-capture/',
    settings: {
      contextLength: 48,
      numSamples: 20,
      evaluationHorizons: 2,
      minPointsEvaluated: 10,
      groundTruthGracePeriods: 2,
      athenaWorkGroup: 'primary',
      athenaTimeoutMs: 10_000,
    },
  };
  const clients = () => ({
    s3: new S3Client({ forcePathStyle: true }),
    ssm: new SSMClient({}),
    sagemaker: new SageMakerClient({}),
    runtime: new SageMakerRuntimeClient({}),
    cloudwatch: new CloudWatchClient({}),
    athena: new AthenaClient({}),
  });
  const logged: string[] = [];
  const logger = {
    info: (m: string) => void logged.push(`INFO ${m}`),
    warn: (m: string) => void logged.push(`WARN ${m}`),
    error: (m: string) => void logged.push(`ERROR ${m}`),
  };
  const putSeries = async (s3: S3Client, from: number, to: number, suffix: string) => {
    for (const o of seriesObjects('data/synthetic/', from, to, HOUR, 2)) {
      await s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: o.key.replace('.csv', `${suffix}.csv`), Body: o.body }),
      );
    }
  };

  beforeAll(async () => {
    const { s3, ssm, sagemaker } = clients();
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await ssm.send(
      new PutParameterCommand({
        Name: environment.configParameterName,
        Type: 'String',
        Value: JSON.stringify({
          dataSourceType: 'synthetic',
          dataSourceLocation: `s3://${BUCKET}/data/synthetic/`,
          targetColumn: 'target',
          timestampColumn: 'timestamp',
          itemIdColumn: 'item_id',
          frequency: '1H',
          predictionLength: String(HORIZON),
        }),
      }),
    );
    await ssm.send(
      new PutParameterCommand({
        Name: environment.thresholdParameterName,
        Type: 'String',
        Value: JSON.stringify({ threshold: 0.5, modelVersion: PACKAGE_ARN }),
      }),
    );
    const role = `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/sagemaker-p-moto-sagemaker-execution`;
    await sagemaker.send(
      new CreateModelCommand({
        ModelName: 'sagemaker-p-moto-model-3',
        ExecutionRoleArn: role,
        PrimaryContainer: { ModelPackageName: PACKAGE_ARN },
      }),
    );
    await sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'sagemaker-p-moto-staging-3',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'sagemaker-p-moto-model-3',
            InitialInstanceCount: 1,
            InstanceType: 'ml.m5.large',
          },
        ],
      }),
    );
    await sagemaker.send(
      new CreateEndpointCommand({ EndpointName: ENDPOINT, EndpointConfigName: 'sagemaker-p-moto-staging-3' }),
    );
    runtimeMock
      .on(InvokeEndpointCommand)
      .callsFake(async (input: { Body: Uint8Array; EndpointName: string }) => {
        if (input.EndpointName !== ENDPOINT) throw new Error(`unexpected endpoint ${input.EndpointName}`);
        return {
          Body: new TextEncoder().encode(fakeDeepArResponse(new TextDecoder().decode(input.Body), HORIZON)),
          InvokedProductionVariant: 'AllTraffic',
        };
      });
  });

  test('collection cycles: ground truth written, metrics read back', async () => {
    const { s3, cloudwatch } = clients();
    await putSeries(s3, T - 72 * HOUR, T, '');
    const first = await runCollection({
      environment,
      clients: clients(),
      logger,
      now: () => T + 20 * 60_000,
    });
    expect(first.modelVersion).toBe('3');
    expect(first.forecast).toMatchObject({ modelVersion: '3', instances: 2 });
    const inferenceId = (first.forecast as { inferenceId: string }).inferenceId;

    await putSeries(s3, T + HOUR, T + 8 * HOUR, '-late');
    const second = await runCollection({
      environment,
      clients: clients(),
      logger,
      now: () => T + 8 * HOUR + 20 * 60_000,
    });
    expect(second.groundTruth.records).toBe(1);
    expect(logged.filter((l) => l.startsWith('ERROR'))).toEqual([]);

    // ground truth: one merge record for the first forecast, under ground-truth/staging/yyyy/mm/dd/hh/
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'ground-truth/' }));
    const keys = (listed.Contents ?? []).map((o) => o.Key!);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^ground-truth\/staging\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/[^/]+\.jsonl$/);
    const body = await (
      await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: keys[0] }))
    ).Body!.transformToString();
    const record = parseGroundTruthLine(body.trim());
    expect(record.eventId).toBe(inferenceId);
    const horizon = Array.from({ length: HORIZON }, (_, k) => T + (k + 1) * HOUR);
    expect(record.targets).toEqual([
      horizon.map((t) => seriesValue(0, t)),
      horizon.map((t) => seriesValue(1, t)),
    ]);
    const capture = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'data-capture/' }));
    expect(capture.KeyCount ?? 0).toBe(0);

    // metrics, read back from CloudWatch
    const dims = [
      { Name: 'Stage', Value: 'staging' },
      { Name: 'ModelVersion', Value: '3' },
    ];
    const query = (id: string, name: string, dimensions = dims) => ({
      Id: id,
      MetricStat: {
        Metric: { Namespace: NAMESPACE, MetricName: name, Dimensions: dimensions },
        Period: 60,
        Stat: 'Maximum',
      },
    });
    const data = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(T - HOUR),
        EndTime: new Date(T + 10 * HOUR),
        MetricDataQueries: [
          query('wql', 'mean_wQL'),
          query('thr', 'threshold'),
          query('points', 'points_evaluated'),
          query('pointsstage', 'points_evaluated', [{ Name: 'Stage', Value: 'staging' }]),
        ],
      }),
    );
    const values = Object.fromEntries(
      (data.MetricDataResults ?? []).map((r) => [r.Id, [...(r.Values ?? [])].sort((a, b) => a - b)]),
    );
    expect(values.wql).toHaveLength(1);
    expect(values.wql[0]).toBeCloseTo(second.published.meanWql as number, 9);
    expect(values.thr).toEqual([0.5]);
    expect(values.points).toEqual([0, 12]);
    expect(values.pointsstage).toEqual([0, 12]);
  });
});
