// The name functions: the lengths the AWS limits allow for the longest project name and id, and
// the relations the product's IAM relies on (a collector or step name starts with its prefix).
import * as names from '../src/names';

const longest: names.ProjectIdentity = { projectName: 'a'.repeat(32), projectId: `p-${'b'.repeat(12)}` };
const example: names.ProjectIdentity = { projectName: 'demand-forecast', projectId: 'p-abcdefghijkl' };

describe('project names', () => {
  test('derive from the project name and id', () => {
    expect(names.longPrefix(example)).toBe('sagemaker-demand-forecast-p-abcdefghijkl');
    expect(names.shortPrefix(example)).toBe('sagemaker-p-abcdefghijkl');
    expect(names.projectBucket(example, '123456789012')).toBe('sagemaker-p-abcdefghijkl-123456789012');
    expect(names.collectorFunction(example, 'prod')).toBe('sagemaker-p-abcdefghijkl-collect-prod');
    expect(names.stepFunction(example, 'evaluate')).toBe('sagemaker-p-abcdefghijkl-step-evaluate');
    expect(names.codeBuildProject(example, 'model-deploy', 'test')).toBe(
      'sagemaker-demand-forecast-p-abcdefghijkl-model-deploy-test',
    );
    expect(names.alarmThresholdParameter(example, 'staging')).toBe(
      '/sagemaker/demand-forecast-p-abcdefghijkl/staging/alarm-threshold',
    );
  });

  test.each(names.DEPLOYMENT_STAGES)(
    'names of stage %s start with the prefixes IAM is granted on',
    (stage) => {
      expect(names.collectorFunction(example, stage).startsWith(names.collectorFunctionPrefix(example))).toBe(
        true,
      );
      expect(names.accuracyAlarm(example, stage).startsWith(names.alarmNamePrefix(example))).toBe(true);
      // The freshness alarm notifies only: the retrain rule must never match it.
      expect(names.freshnessAlarm(example, stage).startsWith(names.alarmNamePrefix(example))).toBe(false);
      expect(names.alarmThresholdParameter(example, stage).startsWith(names.ssmPrefix(example))).toBe(true);
    },
  );

  test('the wildcards, the teardown prefixes and the seeding project cover the names they stand for', () => {
    expect(names.shortNameWildcard(example)).toBe('sagemaker-p-abcdefghijkl-*');
    expect(names.longNameWildcard(example)).toBe('sagemaker-demand-forecast-p-abcdefghijkl-*');
    expect(names.ssmParameterWildcard(example)).toBe('sagemaker/demand-forecast-p-abcdefghijkl/*');
    expect(names.projectKeyAlias(example)).toBe('alias/sagemaker-demand-forecast-p-abcdefghijkl');
    expect(names.seedingProject(example)).toBe('sagemaker-demand-forecast-p-abcdefghijkl-seed-repositories');
    const glob = (wildcard: string) => new RegExp(`^${wildcard.replace('*', '.*')}$`);
    for (const stage of names.DEPLOYMENT_STAGES) {
      // IAM grants on the wildcard reach the stage resources; the teardown's prefixes find the stacks.
      expect(names.endpoint(example, stage)).toMatch(glob(names.shortNameWildcard(example)));
      expect(names.shortName(example, 'x').startsWith(names.shortNamePrefix(example))).toBe(true);
      expect(names.deployStack(example, stage)).toMatch(glob(names.longNameWildcard(example)));
      expect(
        names
          .pipelineStackPrefixes(example)
          .filter((prefix) => names.deployStack(example, stage).startsWith(prefix)),
      ).toEqual([names.deployStackPrefix(example)]);
      expect(
        names
          .pipelineStackPrefixes(example)
          .filter((prefix) => names.monitoringStack(example, stage).startsWith(prefix)),
      ).toEqual([names.monitoringStackPrefix(example)]);
    }
    // Monitoring first: its stacks watch the endpoints the deploy stacks hold.
    expect(names.pipelineStackPrefixes(example)).toEqual([
      'sagemaker-demand-forecast-p-abcdefghijkl-monitoring-',
      'sagemaker-demand-forecast-p-abcdefghijkl-deploy-',
    ]);
  });

  test('the longest project fits the AWS name limits', () => {
    // Lambda function names ≤ 64, endpoint and model package group names ≤ 63, bucket names ≤ 63
    // (Lambda API Reference CreateFunction; SageMaker API Reference CreateEndpoint,
    // CreateModelPackageGroup; Amazon S3 User Guide, "Bucket naming rules").
    for (const stage of names.DEPLOYMENT_STAGES) {
      expect(names.collectorFunction(longest, stage).length).toBeLessThanOrEqual(64);
      expect(names.endpoint(longest, stage).length).toBeLessThanOrEqual(63);
    }
    expect(names.stepFunction(longest, 'prepare-data').length).toBeLessThanOrEqual(64);
    expect(names.modelPackageGroup(longest).length).toBeLessThanOrEqual(63);
    expect(names.projectBucket(longest, '123456789012').length).toBeLessThanOrEqual(63);
    expect(names.codeBuildProject(longest, 'model-deploy', 'post-deploy').length).toBeLessThanOrEqual(150);
  });
});

describe('tabular-xgboost monitoring names', () => {
  test.each(names.DEPLOYMENT_STAGES)(
    'stage %s: retrain alarms carry the prefix, schedules fit 63',
    (stage) => {
      for (const alarm of [
        names.dataDriftAlarm(example, stage, 1),
        names.modelQualityAlarm(example, stage),
      ]) {
        expect(alarm.startsWith(names.alarmNamePrefix(example))).toBe(true);
      }
      expect(names.dataDriftAlarm(example, stage, 2)).toBe(
        `sagemaker-demand-forecast-p-abcdefghijkl-accuracy-${stage}-data-drift-2`,
      );
      // Monitoring schedule and job definition names ≤ 63 (SageMaker API Reference,
      // CreateMonitoringSchedule, CreateDataQualityJobDefinition); a 9-character hash is appended.
      expect(names.dataQualitySchedule(longest, stage).length).toBeLessThanOrEqual(63);
      expect(names.dataQualityJobDefinitionPrefix(longest, stage).length + 9).toBeLessThanOrEqual(63);
      // CloudWatch alarm names ≤ 255 (CloudWatch API Reference, PutMetricAlarm).
      expect(names.dataDriftAlarm(longest, stage, 99).length).toBeLessThanOrEqual(255);
    },
  );
});
