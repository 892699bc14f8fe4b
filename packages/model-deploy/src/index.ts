// @mlops-templates/model-deploy: the model-agnostic part of every model-deploy seeded repository —
// stage configuration and parameters, model package resolution, the staging/prod deploy stacks
// (KMS data capture, blue/green with rollback alarms), the build step and its deployment record, the
// endpoint test runner with a pluggable payload codec, and the command-line plumbing.
export * from './app-input';
export * from './build-stage-params';
export * from './cli';
export * from './deploy-stack';
export * from './deployment-record';
export * from './endpoint-test';
export * from './environment';
export * from './log';
export * from './model-package';
export * from './project-config';
export * from './stage-config';
export * from './stage-parameters';
