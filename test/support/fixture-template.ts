// A tiny product template for portfolio tests that need their own versions folder (releases,
// drafts, S3-provisioned templates): one SNS topic whose display name the test controls.
import { SageMakerProjectProductStack, TemplateDefinition } from '@mlops-templates/constructs';
import * as sns from 'aws-cdk-lib/aws-sns';

/** A template named `fixture` kept in `dir`; `topicDisplayName` is read at every synth. */
export function fixtureTemplate(dir: string, topicDisplayName: () => string): TemplateDefinition {
  return {
    name: 'fixture',
    productName: 'Fixture product',
    description: 'A template for the versioning test',
    directory: dir,
    createProductStack: (scope, id, context) => {
      const stack = new SageMakerProjectProductStack(scope, id, { assetBucket: context.assetBucket });
      new sns.Topic(stack, 'Topic', {
        topicName: `sagemaker-${stack.project.projectId}-fixture`,
        displayName: topicDisplayName(),
        enforceSSL: true,
      });
      return stack;
    },
  };
}
