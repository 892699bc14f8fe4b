// The model-deploy seeded repository of the tabular XGBoost template, declared for the seed skeleton
// (projenrc/seed-repository.ts) on what every model-deploy seed shares (projenrc/model-deploy-seed.ts):
// the deploy core @mlops-templates/model-deploy, vendored; what differs is its CSV payload codec.
import { Project } from 'projen';
import * as deploy from './model-deploy-seed';
import { SeedRepository } from './seed-repository';

/** Declares the skeleton of seed-code/tabular-xgboost/model-deploy. */
export function tabularXgboostModelDeploySeed(project: Project): SeedRepository {
  return new SeedRepository(project, {
    template: 'tabular-xgboost',
    repo: 'model-deploy',
    description:
      'Model deploy repository of a tabular XGBoost SageMaker project: staging and prod endpoints of the approved model package, with KMS-encrypted CSV data capture, a CSV endpoint test and blue/green rollout with auto-rollback.',
    dependencies: deploy.MODEL_DEPLOY_DEPENDENCIES,
    devDependencies: deploy.MODEL_DEPLOY_DEV_DEPENDENCIES,
    scripts: deploy.MODEL_DEPLOY_SCRIPTS,
    ...deploy.MODEL_DEPLOY_SEED_OPTIONS,
    buildspecs: {
      'buildspec.yml': deploy.MODEL_DEPLOY_BUILD_BUILDSPEC,
      'buildspec-test.yml': deploy.modelDeployTestBuildspec([
        "TestStagingEndpoint action (after DeployStaging): sends the model package's sample CSV rows to the",
        'staging endpoint and checks one prediction per row for the problem type. The build output is the',
        'extra input StageParameters ($CODEBUILD_SRC_DIR_StageParameters/deploy/model-package.json).',
      ]),
    },
  });
}
