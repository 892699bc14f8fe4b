// Proves the moto_server harness: it starts the emulator on loopback, AWS SDK v3 clients reach it
// through AWS_ENDPOINT_URL, the environment is restored, and stopping leaves no process behind.
import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  describeWithTool,
  isAlive,
  MOTO_ENVIRONMENT_KEYS,
  MOTO_SERVER,
  startMotoServer,
  useMotoServer,
} from '../src';

describeWithTool(MOTO_SERVER, 'moto_server harness', () => {
  test('start, an SDK call through AWS_ENDPOINT_URL, stop by PID', async () => {
    const server = await startMotoServer();
    try {
      expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(isAlive(server.pid)).toBe(true);
      const client = new CloudWatchClient({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      await client.send(
        new PutMetricDataCommand({
          Namespace: 'HarnessTest',
          MetricData: [{ MetricName: 'probe', Value: 1, Unit: 'Count' }],
        }),
      );
      const listed = await client.send(new ListMetricsCommand({ Namespace: 'HarnessTest' }));
      expect(listed.Metrics?.map((m) => m.MetricName)).toEqual(['probe']);

      await server.reset();
      const afterReset = await client.send(new ListMetricsCommand({ Namespace: 'HarnessTest' }));
      expect(afterReset.Metrics ?? []).toEqual([]);
    } finally {
      await server.stop();
    }
    expect(isAlive(server.pid)).toBe(false);
    await server.stop(); // a second stop is harmless
  });

  test('a server that dies at start is reported with its stderr', async () => {
    // node rejects moto_server's `-H` flag, prints to stderr and exits: a stand-in for a broken install.
    await expect(startMotoServer({ command: process.execPath })).rejects.toThrow(
      /exited before answering[\s\S]*-H/,
    );
  });

  const environmentBefore = Object.fromEntries(MOTO_ENVIRONMENT_KEYS.map((key) => [key, process.env[key]]));
  let pidDuringBlock: number | undefined;

  describe('useMotoServer', () => {
    const moto = useMotoServer();

    test('points SDK clients without an explicit endpoint at the server', async () => {
      pidDuringBlock = moto.server.pid;
      expect(process.env.AWS_ENDPOINT_URL).toBe(moto.endpoint);
      const client = new CloudWatchClient({});
      await client.send(
        new PutMetricDataCommand({ Namespace: 'HarnessEnv', MetricData: [{ MetricName: 'm', Value: 2 }] }),
      );
      const listed = await client.send(new ListMetricsCommand({ Namespace: 'HarnessEnv' }));
      expect(listed.Metrics).toHaveLength(1);
    });
  });

  test('after the useMotoServer block: environment restored, server stopped', () => {
    expect(Object.fromEntries(MOTO_ENVIRONMENT_KEYS.map((key) => [key, process.env[key]]))).toEqual(
      environmentBefore,
    );
    expect(pidDuringBlock).toBeDefined();
    expect(isAlive(pidDuringBlock as number)).toBe(false);
  });
});
