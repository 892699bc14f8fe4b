// The monitoring pipeline of a project (a template README's "The loop": endpoints IN_SERVICE → monitoring
// CodePipeline): synthesizes and deploys one monitoring stack per stage, each watching its own endpoint.
import { CfnCapabilities } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import { Construct } from 'constructs';
import { toPascalCase } from './naming';
import { DEPLOYMENT_STAGES } from './project-names';
import { SeededRepositoryPipeline, SeededRepositoryPipelineProps } from './seeded-repository-pipeline';

/** Properties of {@link MonitoringPipeline}. */
export interface MonitoringPipelineProps extends SeededRepositoryPipelineProps {
  /**
   * The buildspec of the synth build, in the monitoring repository.
   * @default 'buildspec.yml'
   */
  readonly buildSpecFile?: string;
}

/** Source → Build (test and synth, recover rolled-back stacks) → one Monitor<Stage> stage per stage. */
export class MonitoringPipeline extends SeededRepositoryPipeline {
  constructor(scope: Construct, id: string, props: MonitoringPipelineProps) {
    super(scope, id, 'monitoring', props);
    const buildSpecFile = props.buildSpecFile ?? 'buildspec.yml';
    if (!/\.ya?ml$/.test(buildSpecFile)) {
      throw new Error(`buildSpecFile: must be a YAML file, got '${buildSpecFile}'`);
    }
    const { names, buildEnvironment: env } = props;
    const templates = new codepipeline.Artifact('MonitoringTemplates');
    this.pipeline.addStage({
      stageName: 'Build',
      actions: [
        new actions.CodeBuildAction({
          actionName: 'SynthMonitoringStacks',
          project: env.project(this.resourceScope, {
            repository: 'monitoring',
            purpose: 'build',
            buildSpecFile,
            description: 'Tests and synthesizes the monitoring stacks of both stages',
          }),
          input: this.source,
          outputs: [templates],
        }),
        props.deliveryRoles.recoverStacksAction(
          this.resourceScope,
          'monitoring',
          this.source,
          DEPLOYMENT_STAGES.map((s) => names.monitoringStack(s)),
        ),
      ],
    });
    for (const stage of DEPLOYMENT_STAGES) {
      this.pipeline.addStage({
        stageName: `Monitor${toPascalCase(stage)}`,
        actions: [
          new actions.CloudFormationCreateUpdateStackAction({
            actionName: `Deploy${toPascalCase(stage)}Monitoring`,
            stackName: names.monitoringStack(stage),
            templatePath: templates.atPath(`monitoring/${stage}.template.json`),
            templateConfiguration: templates.atPath(`monitoring/${stage}.config.json`),
            adminPermissions: false,
            deploymentRole: props.deliveryRoles.deployRole,
            cfnCapabilities: [CfnCapabilities.NAMED_IAM, CfnCapabilities.AUTO_EXPAND],
            replaceOnFailure: false,
          }),
        ],
      });
    }
  }
}
