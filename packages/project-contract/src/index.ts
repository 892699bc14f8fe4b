// @mlops-templates/project-contract: the contract between the product stack and the seeded
// repositories — the project's names, the environment schema and its example values (no CDK).
export * from './names';
export * from './environment';
export * from './examples';
export * from './documentation';
export * from './tabular-model-package';
export * from './tabular-data';
