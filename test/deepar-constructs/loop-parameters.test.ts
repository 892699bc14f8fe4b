// LoopParameters in a minimal product stack: the config, gate and per-stage threshold parameters in
// the project's SSM namespace, and the validation of the initial gate threshold.
import { Match } from 'aws-cdk-lib/assertions';
import { productFixture, productTemplate } from './support';
import { LoopParameters } from '../../templates/deepar-forecasting/constructs/loop-parameters';

describe('LoopParameters', () => {
  test('config (one Fn::Join JSON object), gate threshold and one alarm threshold per stage', () => {
    const f = productFixture();
    const p = new LoopParameters(f.stack, 'LoopParameters', { names: f.names, parameters: f.parameters });
    expect(Object.keys(p.alarmThresholds)).toEqual(['staging', 'prod']);
    const t = productTemplate(f);
    t.resourceCountIs('AWS::SSM::Parameter', 4);
    t.hasResourceProperties('AWS::SSM::Parameter', {
      Value: { 'Fn::Join': ['', Match.arrayWith(['{"dataSourceType":"', { Ref: 'DataSourceType' }])] },
    });
    t.hasResourceProperties('AWS::SSM::Parameter', { Value: 'default' });
    t.hasResourceProperties('AWS::SSM::Parameter', {
      Name: { 'Fn::Join': ['', Match.arrayWith(['/prod/alarm-threshold'])] },
      Value: 'unset',
    });
  });

  test('an initial gate threshold may be a number', () => {
    const f = productFixture();
    new LoopParameters(f.stack, 'LoopParameters', { ...f, initialGateThreshold: '0.25' });
    productTemplate(f).hasResourceProperties('AWS::SSM::Parameter', { Value: '0.25' });
  });

  test.each(['', 'high', '0', '-1'])('rejects initialGateThreshold %p', (value) => {
    const f = productFixture();
    expect(
      () => new LoopParameters(f.stack, 'LoopParameters', { ...f, initialGateThreshold: value }),
    ).toThrow(/initialGateThreshold: must be 'default' or a positive number/);
  });
});
