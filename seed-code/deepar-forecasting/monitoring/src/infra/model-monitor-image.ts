// The SageMaker Model Monitor analyzer image of a region: the project's one region → registry map,
// in @mlops-templates/metrics (src/model-monitor-image.ts, source and AWS doc page named there).
export { modelMonitorImageUri } from '@mlops-templates/metrics';
