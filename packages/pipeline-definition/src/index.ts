// Public API of @mlops-templates/pipeline-definition: a typed builder of SageMaker Model Building
// Pipeline definitions (schema 2020-12-01), its reference checks and schema validation, the built-in
// image URIs per region, and the upsert/run plumbing of the model-build repositories' scripts.
export * from './json';
export * from './names';
export * from './expressions';
export * from './parameters';
export * from './conditions';
export * from './steps';
export { ModelStep as CreateModelStep } from './steps';
export * from './definition';
export * from './references';
export * from './schema';
export * from './validate';
export * from './images';
export * from './image-registries';
export * from './commands/common';
export * from './commands/upsert';
export * from './commands/run';
