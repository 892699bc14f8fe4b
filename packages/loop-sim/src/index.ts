// Public API of @mlops-templates/loop-sim: the scenario schema, the simulator, the CloudWatch alarm
// model, the stand-in forecaster, the summary, the timeline picture and the CLI.
export * from './alarm-model';
export * from './scenario';
export * from './forecaster';
export * from './simulator';
export * from './summary';
export * from './timeline-svg';
export { main, runScenarioFile, USAGE, type CliIo } from './cli';
