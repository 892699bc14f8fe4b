// SageMakerProjectParameters on a bare Stack: the two parameters SageMaker fills, under the exact
// logical ids SageMaker passes, with its CreateProject limits; the pattern accepts what SageMaker
// accepts and refuses the rest.
import { Template } from 'aws-cdk-lib/assertions';
import { bareStack } from './support';
import {
  SAGEMAKER_PROJECT_ID_MAX_LENGTH,
  SAGEMAKER_PROJECT_NAME_MAX_LENGTH,
  SAGEMAKER_PROJECT_NAME_PATTERN,
  SageMakerProjectParameters,
} from '../src/project-parameters';

describe('SageMakerProjectParameters', () => {
  let template: Template;
  let params: SageMakerProjectParameters;

  beforeAll(() => {
    const stack = bareStack();
    params = new SageMakerProjectParameters(stack, 'Project');
    template = Template.fromStack(stack);
  });

  test('SageMakerProjectName: 1..32 characters with the CreateProject pattern', () => {
    template.hasParameter('SageMakerProjectName', {
      Type: 'String',
      MinLength: 1,
      MaxLength: SAGEMAKER_PROJECT_NAME_MAX_LENGTH,
      AllowedPattern: SAGEMAKER_PROJECT_NAME_PATTERN,
    });
    expect(SAGEMAKER_PROJECT_NAME_MAX_LENGTH).toBe(32);
  });

  test('SageMakerProjectId: 1..16 characters', () => {
    template.hasParameter('SageMakerProjectId', {
      Type: 'String',
      MinLength: 1,
      MaxLength: SAGEMAKER_PROJECT_ID_MAX_LENGTH,
    });
    expect(SAGEMAKER_PROJECT_ID_MAX_LENGTH).toBe(16);
  });

  test('the values are references to those parameters', () => {
    const stack = bareStack();
    const p = new SageMakerProjectParameters(stack, 'P');
    expect(stack.resolve(p.projectName)).toEqual({ Ref: 'SageMakerProjectName' });
    expect(stack.resolve(p.projectId)).toEqual({ Ref: 'SageMakerProjectId' });
    expect(params.projectName).not.toBe(p.projectName);
  });

  test('the name pattern', () => {
    const re = new RegExp(SAGEMAKER_PROJECT_NAME_PATTERN);
    for (const ok of ['a', 'demo', 'my-project-1', 'A--b', 'x'.repeat(32)]) expect(re.test(ok)).toBe(true);
    for (const bad of ['', '-a', 'a-', 'a_b', 'a.b', 'x'.repeat(33)]) expect(re.test(bad)).toBe(false);
  });
});
