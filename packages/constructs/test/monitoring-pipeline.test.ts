// MonitoringPipeline in a minimal product stack: one Monitor stage per deployment stage, and the
// validation of its properties.
import { pipelineFixture, productTemplate, stagesOf } from './loop-support';
import { MonitoringPipeline } from '../src/monitoring-pipeline';

describe('MonitoringPipeline', () => {
  test('Source → Build (+ recovery) → MonitorStaging → MonitorProd', () => {
    const f = pipelineFixture();
    new MonitoringPipeline(f.stack, 'Monitoring', f.pipelineProps('monitoring'));
    const stages = stagesOf(f, '-monitoring');
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Build', 'MonitorStaging', 'MonitorProd']);
    expect(stages[2].Actions.map((a) => a.Name)).toEqual(['DeployStagingMonitoring']);
  });

  test('rejects a buildSpecFile that is not YAML', () => {
    const f = pipelineFixture();
    expect(
      () =>
        new MonitoringPipeline(f.stack, 'Monitoring', {
          ...f.pipelineProps('monitoring'),
          buildSpecFile: 'x.txt',
        }),
    ).toThrow(/buildSpecFile: must be a YAML file, got 'x.txt'/);
  });
});
