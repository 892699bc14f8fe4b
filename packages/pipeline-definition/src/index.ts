// Public API of @mlops-templates/pipeline-definition: a typed builder of SageMaker Model Building
// Pipeline definitions (schema 2020-12-01), its reference checks and schema validation.
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
