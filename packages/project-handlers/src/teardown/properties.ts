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
