// ModelBuildPipeline (and its base SeededRepositoryPipeline) in a minimal product stack: Source → Build,
// created after the seeding, the source repository checked, and the validation of its properties.
import { pipelineFixture, productTemplate, stagesOf } from './loop-support';
import { ModelBuildPipeline } from '../src/model-build-pipeline';

describe('ModelBuildPipeline', () => {
  test('Source → Build, tagged with the seeding resource', () => {
    const f = pipelineFixture();
    const p = new ModelBuildPipeline(f.stack, 'ModelBuild', f.pipelineProps('model-build'));
    expect(p.pipeline.node.id).toBe('ModelBuildPipeline');
    const stages = stagesOf(f, '-model-build');
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Build']);
    expect(stages[1].Actions.map((a) => a.Name)).toEqual(['TestUpsertAndStart']);
    expect(JSON.stringify(productTemplate(f).findResources('AWS::CodePipeline::Pipeline'))).toContain(
      'sagemaker:seeding',
    );
  });

  test('rejects the pipeline of another repository', () => {
    const f = pipelineFixture();
    expect(() => new ModelBuildPipeline(f.stack, 'ModelBuild', f.pipelineProps('monitoring'))).toThrow(
      /sourceRepository: must be the model-build repository/,
    );
  });

  test('rejects a buildSpecFile that is not YAML', () => {
    const f = pipelineFixture();
    expect(
      () =>
        new ModelBuildPipeline(f.stack, 'ModelBuild', {
          ...f.pipelineProps('model-build'),
          buildSpecFile: 'b.json',
        }),
    ).toThrow(/buildSpecFile: must be a YAML file, got 'b.json'/);
  });

  test("the build project description: generic by default, the template's when given", () => {
    const f = pipelineFixture();
    new ModelBuildPipeline(f.stack, 'ModelBuild', {
      ...f.pipelineProps('model-build'),
      buildDescription: 'Tests, upserts the XGBoost SageMaker pipeline and starts an execution',
    });
    productTemplate(f).hasResourceProperties('AWS::CodeBuild::Project', {
      Description: 'Tests, upserts the XGBoost SageMaker pipeline and starts an execution',
    });
    const g = pipelineFixture();
    new ModelBuildPipeline(g.stack, 'ModelBuild', g.pipelineProps('model-build'));
    productTemplate(g).hasResourceProperties('AWS::CodeBuild::Project', {
      Description: 'Tests, upserts the SageMaker pipeline and starts an execution',
    });
  });
});
