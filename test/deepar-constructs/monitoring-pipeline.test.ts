// MonitoringPipeline in a minimal product stack: one Monitor stage per deployment stage, and the
// validation of its properties.
import { pipelineFixture, productTemplate } from './support';
import { MonitoringPipeline } from '../../templates/deepar-forecasting/constructs/monitoring-pipeline';

type Stage = { Name: string; Actions: Array<{ Name: string }> };
const stagesOf = (f: ReturnType<typeof pipelineFixture>, name: string): Stage[] => {
  const pipelines = productTemplate(f).findResources('AWS::CodePipeline::Pipeline');
  const found = Object.values(pipelines).find((p) => JSON.stringify(p.Properties.Name).includes(name));
  if (!found) throw new Error(`no pipeline ${name}`);
  return found.Properties.Stages as Stage[];
};

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
