// Pure teardown planning: which stacks/packages/models/schedules to delete, phases, DELETE_FAILED.
import {
  chunk,
  modelPackagesToDelete,
  planStackDeletionPoll,
  planStackDeletionStart,
  projectStacks,
  schedulesToDelete,
  type StackInfo,
  stackDeletionFailureMessage,
  type TaggedResource,
  taggedProjectResources,
} from '../src/teardown/plan';

const MONITORING = 'sagemaker-demo-p-abc123-monitoring-';
const DEPLOY = 'sagemaker-demo-p-abc123-deploy-';
const PREFIXES = [MONITORING, DEPLOY];

function stack(name: string, status: string, extra: Partial<StackInfo> = {}): StackInfo {
  return {
    stackId: `arn:aws:cloudformation:eu-west-1:111122223333:stack/${name}/uuid`,
    stackName: name,
    status,
    ...extra,
  };
}

describe('projectStacks', () => {
  it('keeps root stacks matching a prefix, with the phase of the first matching prefix', () => {
    const stacks = [
      stack(`${DEPLOY}staging`, 'CREATE_COMPLETE'),
      stack(`${MONITORING}prod`, 'UPDATE_COMPLETE'),
      stack('sagemaker-other-p-zzz-deploy-staging', 'CREATE_COMPLETE'),
      stack(`${DEPLOY}prod`, 'DELETE_COMPLETE'),
      stack(`${DEPLOY}staging-Nested-XYZ`, 'CREATE_COMPLETE', { parentId: 'arn:parent' }),
    ];
    const result = projectStacks(PREFIXES, stacks);
    expect(result.map((s) => [s.stackName, s.phase])).toEqual([
      [`${MONITORING}prod`, 0],
      [`${DEPLOY}staging`, 1],
    ]);
  });

  it('never matches with an empty prefix', () => {
    expect(projectStacks([''], [stack('anything', 'CREATE_COMPLETE')])).toEqual([]);
  });
});

describe('planStackDeletionStart', () => {
  it('deletes the first phase only, skipping stacks already being deleted', () => {
    const plan = planStackDeletionStart(PREFIXES, [
      stack(`${MONITORING}staging`, 'CREATE_COMPLETE'),
      stack(`${MONITORING}prod`, 'DELETE_IN_PROGRESS'),
      stack(`${DEPLOY}staging`, 'UPDATE_COMPLETE'),
    ]);
    expect(plan.currentPhase).toBe(0);
    expect(plan.toDelete.map((s) => s.stackName)).toEqual([`${MONITORING}staging`]);
    expect(plan.remaining).toHaveLength(3);
    expect(plan.failed).toEqual([]);
  });

  it('retries stacks left in DELETE_FAILED by an earlier attempt, whatever their phase', () => {
    const plan = planStackDeletionStart(PREFIXES, [
      stack(`${MONITORING}staging`, 'CREATE_COMPLETE'),
      stack(`${DEPLOY}prod`, 'DELETE_FAILED', { statusReason: 'endpoint in use' }),
      stack(`${DEPLOY}staging`, 'CREATE_COMPLETE'),
    ]);
    expect(plan.toDelete.map((s) => s.stackName)).toEqual([`${MONITORING}staging`, `${DEPLOY}prod`]);
  });

  it('starts with the deploy phase when no monitoring stack exists', () => {
    const plan = planStackDeletionStart(PREFIXES, [stack(`${DEPLOY}staging`, 'CREATE_COMPLETE')]);
    expect(plan.currentPhase).toBe(1);
    expect(plan.toDelete.map((s) => s.stackName)).toEqual([`${DEPLOY}staging`]);
  });

  it('has nothing to do when no stack exists', () => {
    const plan = planStackDeletionStart(PREFIXES, []);
    expect(plan).toEqual({ toDelete: [], failed: [], remaining: [], currentPhase: undefined });
  });
});

describe('planStackDeletionPoll', () => {
  it('waits for the current phase before deleting the next one', () => {
    const plan = planStackDeletionPoll(PREFIXES, [
      stack(`${MONITORING}staging`, 'DELETE_IN_PROGRESS'),
      stack(`${DEPLOY}staging`, 'CREATE_COMPLETE'),
    ]);
    expect(plan.toDelete).toEqual([]);
    expect(plan.remaining.map((s) => s.stackName)).toEqual([`${MONITORING}staging`, `${DEPLOY}staging`]);
  });

  it('deletes the next phase once the previous one is gone', () => {
    const plan = planStackDeletionPoll(PREFIXES, [
      stack(`${MONITORING}staging`, 'DELETE_COMPLETE'),
      stack(`${DEPLOY}staging`, 'CREATE_COMPLETE'),
      stack(`${DEPLOY}prod`, 'DELETE_IN_PROGRESS'),
    ]);
    expect(plan.currentPhase).toBe(1);
    expect(plan.toDelete.map((s) => s.stackName)).toEqual([`${DEPLOY}staging`]);
  });

  it('reports DELETE_FAILED stacks and deletes nothing more', () => {
    const plan = planStackDeletionPoll(PREFIXES, [
      stack(`${MONITORING}staging`, 'DELETE_FAILED', {
        statusReason: 'The following resource(s) failed to delete: [Schedule]',
      }),
      stack(`${MONITORING}prod`, 'CREATE_COMPLETE'),
    ]);
    expect(plan.failed.map((s) => s.stackName)).toEqual([`${MONITORING}staging`]);
    expect(plan.toDelete).toEqual([]);
    expect(stackDeletionFailureMessage(plan.failed)).toBe(
      `Teardown failed: stack deletion failed for ${MONITORING}staging (The following resource(s) failed to delete: [Schedule])`,
    );
  });
});

describe('other plans', () => {
  it('deletes only the model packages of the group', () => {
    expect(
      modelPackagesToDelete('grp-p-abc123', [
        { arn: 'arn:1', groupName: 'grp-p-abc123' },
        { arn: 'arn:2', groupName: 'other' },
        { arn: 'arn:3' },
      ]),
    ).toEqual(['arn:1']);
  });

  it('deletes models/endpoint configs only when the name matches and the project tag is ours', () => {
    const candidates: TaggedResource[] = [
      { name: 'p-abc123-model-1', arn: 'a1', tags: { 'sagemaker:project-id': 'p-abc123' } },
      { name: 'p-abc123-model-2', arn: 'a2', tags: { 'sagemaker:project-id': 'p-other' } },
      { name: 'p-abc123-model-3', arn: 'a3', tags: {} },
      { name: 'unrelated', arn: 'a4', tags: { 'sagemaker:project-id': 'p-abc123' } },
    ];
    expect(taggedProjectResources('p-abc123', 'p-abc123', candidates).map((c) => c.name)).toEqual([
      'p-abc123-model-1',
    ]);
  });

  it('deletes schedules by prefix only', () => {
    expect(schedulesToDelete('p-abc123-', ['p-abc123-synthetic', 'p-abc1234-x', 'other'])).toEqual([
      'p-abc123-synthetic',
    ]);
    expect(schedulesToDelete('', ['x'])).toEqual([]);
  });

  it('chunks into batches of at most 1000', () => {
    const items = Array.from({ length: 2500 }, (_, i) => i);
    const batches = chunk(items);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(batches.flat()).toEqual(items);
    expect(chunk([], 1000)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(/positive integer/);
  });
});
