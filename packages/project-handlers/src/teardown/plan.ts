// Pure planning of the project teardown: given what exists (stacks, model packages, models, schedules,
// bucket contents), decide what to delete and whether the teardown is complete. No AWS calls here.

/** The fields of a CloudFormation stack summary the plan needs. */
export interface StackInfo {
  readonly stackId: string;
  readonly stackName: string;
  readonly status: string;
  readonly statusReason?: string;
  /** Set for nested stacks; those are deleted by their root stack, never directly. */
  readonly parentId?: string;
}

export const DELETE_FAILED = 'DELETE_FAILED';
export const DELETE_IN_PROGRESS = 'DELETE_IN_PROGRESS';
export const DELETE_COMPLETE = 'DELETE_COMPLETE';

/** A stack matched by one of the prefixes; `phase` is the index of the first prefix it starts with. */
export interface ProjectStack extends StackInfo {
  readonly phase: number;
}

/**
 * The project's root stacks that still exist (status other than DELETE_COMPLETE), each with its phase.
 * Nested stacks (ParentId set) are left out: their root stack deletes them.
 */
export function projectStacks(prefixes: readonly string[], stacks: readonly StackInfo[]): ProjectStack[] {
  const matched: ProjectStack[] = [];
  for (const stack of stacks) {
    if (stack.status === DELETE_COMPLETE || stack.parentId !== undefined) continue;
    const phase = prefixes.findIndex((prefix) => prefix.length > 0 && stack.stackName.startsWith(prefix));
    if (phase >= 0) matched.push({ ...stack, phase });
  }
  return matched.sort((a, b) => a.phase - b.phase || a.stackName.localeCompare(b.stackName));
}

/** What to do with the project's stacks at one step of the teardown. */
export interface StackDeletionPlan {
  /** Stacks to call DeleteStack on now. */
  readonly toDelete: ProjectStack[];
  /** Stacks whose deletion failed during this teardown (poll only). */
  readonly failed: ProjectStack[];
  /** Stacks that still exist (including those being deleted). */
  readonly remaining: ProjectStack[];
  /** The phase (prefix index) being deleted, or undefined when no stack remains. */
  readonly currentPhase?: number;
}

function currentPhaseOf(stacks: readonly ProjectStack[]): number | undefined {
  return stacks.length === 0 ? undefined : Math.min(...stacks.map((s) => s.phase));
}

/**
 * Plan at the start of the teardown (custom resource Delete): delete the first phase's stacks, and
 * retry every stack left in DELETE_FAILED by an earlier attempt (whatever its phase), so that a
 * DELETE_FAILED seen while polling always means a failure of this attempt.
 */
export function planStackDeletionStart(
  prefixes: readonly string[],
  stacks: readonly StackInfo[],
): StackDeletionPlan {
  const remaining = projectStacks(prefixes, stacks);
  const currentPhase = currentPhaseOf(remaining);
  const toDelete = remaining.filter(
    (s) => (s.phase === currentPhase && s.status !== DELETE_IN_PROGRESS) || s.status === DELETE_FAILED,
  );
  return { toDelete, failed: [], remaining, currentPhase };
}

/**
 * Plan while polling (isComplete): any stack in DELETE_FAILED is a failure; otherwise delete the
 * stacks of the current phase that are not being deleted yet (a later phase starts only when every
 * stack of the earlier phases is gone).
 */
export function planStackDeletionPoll(
  prefixes: readonly string[],
  stacks: readonly StackInfo[],
): StackDeletionPlan {
  const remaining = projectStacks(prefixes, stacks);
  const currentPhase = currentPhaseOf(remaining);
  const failed = remaining.filter((s) => s.status === DELETE_FAILED);
  const toDelete =
    failed.length > 0
      ? []
      : remaining.filter((s) => s.phase === currentPhase && s.status !== DELETE_IN_PROGRESS);
  return { toDelete, failed, remaining, currentPhase };
}

/** The error reported to CloudFormation when stacks failed to delete. */
export function stackDeletionFailureMessage(failed: readonly StackInfo[]): string {
  const details = failed.map((s) => `${s.stackName} (${s.statusReason ?? 'no status reason'})`);
  return `Teardown failed: stack deletion failed for ${details.join('; ')}`;
}

/** The fields of a model package summary the plan needs. */
export interface ModelPackageInfo {
  readonly arn: string;
  readonly groupName?: string;
}

/** The model packages to delete: those of the project's group (guards against a wider listing). */
export function modelPackagesToDelete(groupName: string, packages: readonly ModelPackageInfo[]): string[] {
  return packages.filter((p) => p.groupName === groupName).map((p) => p.arn);
}

/** A SageMaker model or endpoint config considered for deletion, with its tags. */
export interface TaggedResource {
  readonly name: string;
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
}

export const PROJECT_ID_TAG = 'sagemaker:project-id';

/** Name filter matched (case-sensitively, like the plan) by the candidate's name. */
export function matchesNameFilter(name: string, filter: string): boolean {
  return filter.length > 0 && name.includes(filter);
}

/**
 * The SageMaker models / endpoint configs to delete: name contains the filter AND tagged with this
 * project's id, so resources of other projects or of users are never touched.
 */
export function taggedProjectResources(
  projectId: string,
  nameFilter: string,
  candidates: readonly TaggedResource[],
): TaggedResource[] {
  return candidates.filter(
    (c) => matchesNameFilter(c.name, nameFilter) && c.tags[PROJECT_ID_TAG] === projectId,
  );
}

/** Schedules to delete: the name starts with the prefix (the API filter is re-checked here). */
export function schedulesToDelete(prefix: string, scheduleNames: readonly string[]): string[] {
  return scheduleNames.filter((name) => prefix.length > 0 && name.startsWith(prefix));
}

/** Pipeline step functions to delete: the name starts with the (project-specific) prefix. */
export function stepFunctionsToDelete(prefix: string, functionNames: readonly string[]): string[] {
  return functionNames.filter((name) => prefix.length > 0 && name.startsWith(prefix));
}

/** One object version or delete marker to remove from a bucket. */
export interface ObjectVersionRef {
  readonly Key: string;
  readonly VersionId?: string;
}

/** The S3 DeleteObjects limit. */
export const DELETE_OBJECTS_BATCH_SIZE = 1000;

/** Splits a list into batches of at most `size` items (S3 DeleteObjects takes at most 1000 keys). */
export function chunk<T>(items: readonly T[], size: number = DELETE_OBJECTS_BATCH_SIZE): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(`batch size must be a positive integer, got ${size}`);
  }
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
