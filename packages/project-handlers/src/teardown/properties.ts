// The teardown custom resource's properties: validated with zod, with errors that name the property.
// Guards against properties that would make the teardown reach beyond this project's resources.
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1, 'must be a non-empty string');

const stringList = z.array(nonEmpty, 'must be a list of strings');

/** The resource properties the teardown custom resource receives (all strings, lists as string arrays). */
export const teardownPropertiesSchema = z
  .object({
    ProjectName: nonEmpty,
    ProjectId: nonEmpty,
    /** Deleted in this order: all stacks of one prefix are gone before the next prefix's are deleted. */
    StackNamePrefixes: stringList,
    SageMakerPipelineNames: stringList,
    ModelPackageGroupName: nonEmpty,
    ScheduleNamePrefix: nonEmpty,
    DataBuckets: stringList,
    DataRetention: z.enum(['Retain', 'Delete'], 'must be "Retain" or "Delete"'),
    ResourceNameFilter: nonEmpty,
    /**
     * The project's CodeCommit repositories (empty with a third-party provider): deleted with
     * DataRetention=Delete only, otherwise retained (CloudFormation retains them in every case).
     * @default []
     */
    CodeCommitRepositories: stringList.default([]),
    /** `CodeCommit` or `CodeConnection`; a change on update is refused (see repositoryProviderChange). */
    RepositoryProvider: z
      .enum(['CodeCommit', 'CodeConnection'], 'must be "CodeCommit" or "CodeConnection"')
      .optional(),
    /** Prefix of the Lambda functions the model-build pipeline creates (and of their log groups). */
    StepFunctionPrefix: nonEmpty.optional(),
  })
  .superRefine((props, ctx) => {
    // A prefix without the project id could match another project's (or anyone's) stacks/schedules.
    props.StackNamePrefixes.forEach((prefix, index) => {
      if (!prefix.includes(props.ProjectId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['StackNamePrefixes', index],
          message: `"${prefix}" must contain the ProjectId "${props.ProjectId}"`,
        });
      }
    });
    if (props.StepFunctionPrefix !== undefined && !props.StepFunctionPrefix.includes(props.ProjectId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['StepFunctionPrefix'],
        message: `"${props.StepFunctionPrefix}" must contain the ProjectId "${props.ProjectId}"`,
      });
    }
    props.CodeCommitRepositories.forEach((name, index) => {
      if (!name.includes(props.ProjectId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['CodeCommitRepositories', index],
          message: `"${name}" must contain the ProjectId "${props.ProjectId}"`,
        });
      }
    });
    if (!props.ScheduleNamePrefix.includes(props.ProjectId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ScheduleNamePrefix'],
        message: `"${props.ScheduleNamePrefix}" must contain the ProjectId "${props.ProjectId}"`,
      });
    }
  });

export type TeardownProperties = z.infer<typeof teardownPropertiesSchema>;

/** Invalid resource properties; the message names every offending property. */
export class TeardownPropertiesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeardownPropertiesError';
  }
}

/** Parses the custom resource's ResourceProperties (extra keys such as ServiceToken are ignored). */
export function parseTeardownProperties(resourceProperties: unknown): TeardownProperties {
  const result = teardownPropertiesSchema.safeParse(resourceProperties);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const property = issue.path.length > 0 ? issue.path.map(String).join('.') : '(properties)';
    return `${property}: ${issue.message}`;
  });
  throw new TeardownPropertiesError(`Invalid teardown resource properties: ${problems.join('; ')}`);
}

/**
 * Why an update must be refused: the repository provider may not change after creation. Switching
 * CodeCommit → CodeConnection would point the pipelines at other repositories and turn the CodeCommit
 * resources' condition false (CloudFormation retains them, DeletionPolicy Retain, but the project
 * would no longer use the data scientists' commits); the other way round abandons the third-party
 * repositories. Undefined when the update is allowed (same provider, or an older template that did
 * not record it).
 */
export function repositoryProviderChange(
  oldProperties: Record<string, unknown> | undefined,
  newProperties: Record<string, unknown>,
): string | undefined {
  const before = oldProperties?.RepositoryProvider;
  const after = newProperties.RepositoryProvider;
  if (typeof before !== 'string' || typeof after !== 'string' || before === after) return undefined;
  return (
    `RepositoryProvider cannot change after the project is created (${before} → ${after}): the project's ` +
    `code lives in its ${before} repositories and is not migrated. Keep RepositoryProvider=${before} ` +
    `(the update is rolled back, nothing was changed), or create a new project with ${after} after ` +
    `copying the code (e.g. git clone --mirror from the ${before} repositories, then git push --mirror to ` +
    'the new, empty ones).'
  );
}
