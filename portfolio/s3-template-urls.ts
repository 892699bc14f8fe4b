// How projects reach the S3-provisioned templates: the TemplateURL of a published version and the
// UpdateProject request that moves a project to another version (SageMaker Developer Guide, "Create
// custom project templates", section "Using a template from an Amazon S3 bucket": CreateProject and
// UpdateProject take `CfnTemplateProvider` {TemplateName, TemplateURL, RoleARN, Parameters}; UpdateProject
// takes them as `TemplateProvidersToUpdate`). Used by the README's commands and the tests.

/** A CloudFormation stack parameter of the project. */
export interface ProjectParameter {
  readonly Key: string;
  readonly Value: string;
}

/** The `CfnTemplateProvider` of CreateProject / UpdateProject (SageMaker API Reference). */
export interface CfnTemplateProvider {
  readonly TemplateName: string;
  readonly TemplateURL: string;
  readonly RoleARN?: string;
  readonly Parameters?: ProjectParameter[];
}

/**
 * The `CfnTemplateProvider` of UpdateProject (`CfnUpdateTemplateProvider`, SageMaker API Reference): no
 * RoleARN — the stack keeps the role it was created with.
 */
export type CfnUpdateTemplateProvider = Omit<CfnTemplateProvider, 'RoleARN'>;

/** The UpdateProject request body that moves a project to another template version. */
export interface UpdateProjectToVersion {
  readonly ProjectName: string;
  readonly TemplateProvidersToUpdate: Array<{ CfnTemplateProvider: CfnUpdateTemplateProvider }>;
}

/**
 * The virtual-hosted-style HTTPS URL of a template object, the form of the SageMaker Developer Guide's
 * example (`https://<bucket>.s3.<region>.amazonaws.com/<key>`); `urlSuffix` is `amazonaws.com.cn` in
 * the China regions (AWS General Reference, "Amazon S3 endpoints").
 */
export function templateUrl(
  bucket: string,
  region: string,
  key: string,
  urlSuffix = 'amazonaws.com',
): string {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`bucket: '${bucket}' is not a bucket name`);
  }
  if (key.startsWith('/') || key.length === 0) {
    throw new Error(`key: '${key}' must be a non-empty key without leading slash`);
  }
  const encoded = key.split('/').map(encodeURIComponent).join('/');
  return `https://${bucket}.s3.${region}.${urlSuffix}/${encoded}`;
}

/**
 * The UpdateProject request moving `projectName` to the template at `url`. `templateName` must be the
 * one the project was created with (it names the provider to update); parameters not given keep their
 * values only if the caller repeats them, as for any CloudFormation stack update.
 */
export function updateProjectToVersion(options: {
  readonly projectName: string;
  readonly templateName: string;
  readonly url: string;
  readonly parameters?: ProjectParameter[];
}): UpdateProjectToVersion {
  if (!/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$/.test(options.projectName)) {
    throw new Error(`projectName: '${options.projectName}' is not a SageMaker project name`);
  }
  if (!/^https:\/\//.test(options.url)) throw new Error(`url: '${options.url}' must be an https URL`);
  return {
    ProjectName: options.projectName,
    TemplateProvidersToUpdate: [
      {
        CfnTemplateProvider: {
          TemplateName: options.templateName,
          TemplateURL: options.url,
          ...(options.parameters ? { Parameters: options.parameters } : {}),
        },
      },
    ],
  };
}
