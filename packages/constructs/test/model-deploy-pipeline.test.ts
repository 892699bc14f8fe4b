// ModelDeployPipeline in a minimal product stack: stages in loop order (staging, test, threshold,
// approval, prod) and the validation of its properties.
import { pipelineFixture, productTemplate, stagesOf } from './loop-support';
import { ModelDeployPipeline } from '../src/model-deploy-pipeline';

describe('ModelDeployPipeline', () => {
  test('Source → Build (+ recovery) → DeployStaging (deploy, test, threshold) → ApproveProd → DeployProd', () => {
    const f = pipelineFixture();
    const p = new ModelDeployPipeline(f.stack, 'ModelDeploy', {
      ...f.pipelineProps('model-deploy'),
      approvalTopic: f.topic,
    });
    expect(p.modelPackageArn.variableName).toBe('MODEL_PACKAGE_ARN');
    const stages = stagesOf(f, '-model-deploy');
    expect(stages.map((s) => s.Name)).toEqual([
      'Source',
      'Build',
      'DeployStaging',
      'ApproveProd',
      'DeployProd',
    ]);
    expect(stages[1].Actions.map((a) => a.Name)).toEqual(['ResolveApprovedModel', 'RecoverRolledBackStacks']);
    expect(stages[2].Actions.map((a) => a.Name)).toEqual([
      'DeployStaging',
      'TestStagingEndpoint',
      'SetThresholdStaging',
    ]);
    expect(stages[4].Actions.map((a) => a.Name)).toEqual(['DeployProd', 'SetThresholdProd']);
  });

  test('setThresholdAfterDeploy false: no SetThreshold actions and no post-deploy project', () => {
    const f = pipelineFixture();
    new ModelDeployPipeline(f.stack, 'ModelDeploy', {
      ...f.pipelineProps('model-deploy'),
      approvalTopic: f.topic,
      setThresholdAfterDeploy: false,
    });
    const stages = stagesOf(f, '-model-deploy');
    expect(stages[2].Actions.map((a) => a.Name)).toEqual(['DeployStaging', 'TestStagingEndpoint']);
    expect(stages[4].Actions.map((a) => a.Name)).toEqual(['DeployProd']);
    const projects = Object.values(productTemplate(f).findResources('AWS::CodeBuild::Project'));
    expect(JSON.stringify(projects)).not.toContain('buildspec-post-deploy.yml');
    expect(JSON.stringify(projects)).toContain('buildspec-test.yml');
  });

  test('rejects an empty approvalMessage', () => {
    const f = pipelineFixture();
    expect(
      () =>
        new ModelDeployPipeline(f.stack, 'ModelDeploy', {
          ...f.pipelineProps('model-deploy'),
          approvalTopic: f.topic,
          approvalMessage: ' ',
        }),
    ).toThrow(/approvalMessage: must not be empty/);
  });

  test("the endpoint test description: generic by default, the template's when given", () => {
    const f = pipelineFixture();
    new ModelDeployPipeline(f.stack, 'ModelDeploy', {
      ...f.pipelineProps('model-deploy'),
      approvalTopic: f.topic,
      endpointTestDescription: 'Invokes the staging endpoint with CSV rows',
    });
    productTemplate(f).hasResourceProperties('AWS::CodeBuild::Project', {
      Description: 'Invokes the staging endpoint with CSV rows',
    });
    const g = pipelineFixture();
    new ModelDeployPipeline(g.stack, 'ModelDeploy', {
      ...g.pipelineProps('model-deploy'),
      approvalTopic: g.topic,
    });
    productTemplate(g).hasResourceProperties('AWS::CodeBuild::Project', {
      Description: 'Invokes the staging endpoint with a real request and validates the response',
    });
  });
});
