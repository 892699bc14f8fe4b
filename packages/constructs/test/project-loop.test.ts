// ProjectLoop in a minimal product stack: the whole loop from what a template passes (no template
// involved), the options a template sets, the teardown made by finish() after the template's parts, and
// the validation of its properties. Also seededRepositorySpecs, which builds its `repositories`.
import { CfnCondition, Duration, Fn } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { LOOP_REPOSITORIES, productFixture, ProductFixture } from './loop-support';
import { FIXTURE_HANDLER, productTemplate, SEED_FIXTURE } from './support';
import { ProjectLoop, ProjectLoopProps } from '../src/project-loop';
import { seededRepositorySpecs } from '../src/project-repositories';

const HANDLERS = {
  seedRepositories: FIXTURE_HANDLER,
  seedRepositoriesResource: FIXTURE_HANDLER,
  startDeployPipeline: FIXTURE_HANDLER,
  teardownResource: FIXTURE_HANDLER,
  retrain: FIXTURE_HANDLER,
};

function loopProps(f: ProductFixture, overrides: Partial<ProjectLoopProps> = {}): ProjectLoopProps {
  return {
    names: f.names,
    handlers: HANDLERS,
    modelPackageGroupDescription: 'models',
    config: f.config,
    configDescription: 'config',
    gateThresholdDescription: 'gate',
    notificationEmail: {
      address: 'none',
      condition: new CfnCondition(f.stack, 'HasEmail', { expression: Fn.conditionEquals('a', 'b') }),
    },
    dataSource: f.dataSource,
    repositories: seededRepositorySpecs(
      {
        'model-build': { description: 'b' },
        'model-deploy': { description: 'd' },
        monitoring: { description: 'm' },
      },
      () => SEED_FIXTURE,
      () => [],
    ),
    templateVariables: {},
    buildDescription: 'build',
    endpointTestDescription: 'test',
    retrainCooldown: Duration.hours(12),
    retrainMaxAttempts: 3,
    dataRetention: 'Retain',
    ...overrides,
  };
}

describe('ProjectLoop', () => {
  test('the whole loop: three pipelines, the retrain function with its policy, the teardown after finish()', () => {
    const f = productFixture();
    const loop = new ProjectLoop(f.stack, loopProps(f));
    expect(() => loop.teardown).toThrow(/finish\(\) has not run yet/);
    const teardown = loop.finish({ deletedBeforeTeardown: [], wildcardRules: [] });
    expect(loop.teardown).toBe(teardown);
    expect(Object.keys(loop.pipelines)).toEqual([...LOOP_REPOSITORIES]);
    const t = productTemplate(f.app, f.stack);
    expect(Object.keys(t.findResources('AWS::CodePipeline::Pipeline'))).toHaveLength(3);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { RETRAIN_COOLDOWN_MINUTES: '720', RETRAIN_MAX_ATTEMPTS: '3' } },
    });
    // The pipelines are deleted before the teardown runs.
    const pipelines = t.findResources('AWS::CodePipeline::Pipeline');
    for (const p of Object.values(pipelines)) {
      expect((p.DependsOn as string[]).some((d) => d.startsWith('Teardown'))).toBe(true);
    }
    // Default: each stage deploy sets its threshold.
    expect(JSON.stringify(pipelines)).toContain('SetThresholdProd');
  });

  test('setThresholdAfterDeploy false and stepFunctionPrefix unset: no SetThreshold action, no step functions to delete', () => {
    const f = productFixture();
    const loop = new ProjectLoop(f.stack, loopProps(f, { setThresholdAfterDeploy: false }));
    loop.finish({ deletedBeforeTeardown: [], wildcardRules: [] });
    const t = productTemplate(f.app, f.stack);
    expect(JSON.stringify(t.findResources('AWS::CodePipeline::Pipeline'))).not.toContain('SetThreshold');
    const teardown = Object.values(t.findResources('Custom::SageMakerProjectTeardown'))[0];
    expect(teardown.Properties.StepFunctionPrefix).toBeUndefined();
  });

  test("the template's parts are deleted before the teardown", () => {
    const f = productFixture();
    const loop = new ProjectLoop(f.stack, loopProps(f));
    const part = new sns.Topic(f.stack, 'TemplatePart');
    loop.finish({ deletedBeforeTeardown: [part], wildcardRules: [] });
    const topics = productTemplate(f.app, f.stack).findResources('AWS::SNS::Topic');
    const own = Object.entries(topics).find(([id]) => id.startsWith('TemplatePart'))?.[1];
    expect((own?.DependsOn as string[]).some((d) => d.startsWith('Teardown'))).toBe(true);
  });

  test('finish() runs once', () => {
    const f = productFixture();
    const loop = new ProjectLoop(f.stack, loopProps(f));
    loop.finish({ deletedBeforeTeardown: [], wildcardRules: [] });
    expect(() => loop.finish({ deletedBeforeTeardown: [], wildcardRules: [] })).toThrow(
      /finish\(\) runs once/,
    );
  });

  test('repositories must be model-build, model-deploy, monitoring in this order', () => {
    const f = productFixture();
    const props = loopProps(f);
    const [build, deploy, monitoring] = props.repositories;
    expect(() => new ProjectLoop(f.stack, { ...props, repositories: [deploy, build, monitoring] })).toThrow(
      /^repositories: must be model-build, model-deploy, monitoring in this order, got model-deploy,model-build,monitoring$/,
    );
    expect(() => new ProjectLoop(f.stack, { ...props, repositories: [build, deploy] })).toThrow(
      /^repositories: /,
    );
  });
});

describe('seededRepositorySpecs', () => {
  test('one spec per table entry, in table order, with its folder and vendored packages', () => {
    const specs = seededRepositorySpecs(
      { a: { description: 'first' }, b: { description: 'second' } },
      (name) => `/seeds/${name}`,
      (name) => [{ name: `@x/${name}`, directory: `/pkgs/${name}` }],
    );
    expect(specs).toEqual([
      {
        name: 'a',
        description: 'first',
        seedDirectory: '/seeds/a',
        vendoredPackages: [{ name: '@x/a', directory: '/pkgs/a' }],
      },
      {
        name: 'b',
        description: 'second',
        seedDirectory: '/seeds/b',
        vendoredPackages: [{ name: '@x/b', directory: '/pkgs/b' }],
      },
    ]);
  });
});
