// Public API of @mlops-templates/retrain: configuration, event parsing, the decision core (decision
// types, AWS reads, the pure retry policy, actions, orchestration), the Lambda handler factory and the
// CLI. The Lambda entry point itself is `src/handler.ts` (not re-exported: importing it reads the
// configuration from the environment).
export * from './config';
export * from './events';
export * from './decision';
export * from './retry-policy';
export { MODEL_VERSION_DIMENSION } from './alarms';
export { loadPipelineHistory } from './pipeline-history';
export { clientRequestToken, executionDisplayName } from './actions';
export { decide, malformedEventOutcome, runRetrainDecision } from './orchestration';
export * from './gate-threshold';
export * from './clients';
export * from './lambda';
export { main, USAGE, type CliIo } from './cli';
export * from './entries';
