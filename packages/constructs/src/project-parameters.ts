// The two parameters SageMaker passes to every project template, with the exact limits
// SageMaker applies to project names and ids (CreateProject API).
import { CfnParameter } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Pattern SageMaker enforces on project names (CreateProject `ProjectName`). */
export const SAGEMAKER_PROJECT_NAME_PATTERN = '^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$';
/** Maximum length of a SageMaker project name. */
export const SAGEMAKER_PROJECT_NAME_MAX_LENGTH = 32;
/** Maximum length of a SageMaker project id (e.g. `p-abcdefgh1234`). */
export const SAGEMAKER_PROJECT_ID_MAX_LENGTH = 16;

/**
 * Declares `SageMakerProjectName` and `SageMakerProjectId` on the enclosing stack.
 * SageMaker fills both when a project is created from the template in Studio.
 */
export class SageMakerProjectParameters extends Construct {
  /** Logical id of the project name parameter, fixed by SageMaker. */
  public static readonly PROJECT_NAME = 'SageMakerProjectName';
  /** Logical id of the project id parameter, fixed by SageMaker. */
  public static readonly PROJECT_ID = 'SageMakerProjectId';

  /** The project name (token). */
  public readonly projectName: string;
  /** The project id (token). */
  public readonly projectId: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const name = new CfnParameter(this, 'Name', {
      type: 'String',
      description: 'Service generated name of the SageMaker project.',
      minLength: 1,
      maxLength: SAGEMAKER_PROJECT_NAME_MAX_LENGTH,
      allowedPattern: SAGEMAKER_PROJECT_NAME_PATTERN,
    });
    name.overrideLogicalId(SageMakerProjectParameters.PROJECT_NAME);
    const projectId = new CfnParameter(this, 'Id', {
      type: 'String',
      description: 'Service generated id of the SageMaker project.',
      minLength: 1,
      maxLength: SAGEMAKER_PROJECT_ID_MAX_LENGTH,
    });
    projectId.overrideLogicalId(SageMakerProjectParameters.PROJECT_ID);
    this.projectName = name.valueAsString;
    this.projectId = projectId.valueAsString;
  }
}
