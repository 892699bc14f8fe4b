// LoopParameters in a minimal product stack: the config, gate and per-stage threshold parameters in
// the project's SSM namespace, and the validation of the initial gate threshold.
import { Match } from 'aws-cdk-lib/assertions';
import { productFixture, productTemplate } from './loop-support';
import { LoopParameters } from '../src/loop-parameters';

describe('LoopParameters', () => {
  test('config (one Fn::Join JSON object), gate threshold and one alarm threshold per stage', () => {
    const f = productFixture();
    const p = new LoopParameters(f.stack, 'LoopParameters', { names: f.names, config: f.config });
    expect(Object.keys(p.alarmThresholds)).toEqual(['staging', 'prod']);
    const t = productTemplate(f);
    t.resourceCountIs('AWS::SSM::Parameter', 4);
    t.hasResourceProperties('AWS::SSM::Parameter', {
      Value: {
        'Fn::Join': [
          '',
          Match.arrayWith(['{"dataSourceType":"', { Ref: 'DataSourceType' }, '","targetColumn":"y"}']),
        ],
      },
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

  test("the parameter names are the contract's and the descriptions default to generic ones", () => {
    const f = productFixture();
    const p = new LoopParameters(f.stack, 'LoopParameters', { names: f.names, config: f.config });
    const t = productTemplate(f);
    expect(Object.keys(p.alarmThresholds)).toEqual(['staging', 'prod']);
    for (const name of [
      f.names.configParameter,
      f.names.gateThresholdParameter,
      f.names.alarmThresholdParameter('prod'),
    ]) {
      t.hasResourceProperties('AWS::SSM::Parameter', { Name: f.stack.resolve(name) });
    }
    t.hasResourceProperties('AWS::SSM::Parameter', { Description: 'Configuration of the project (JSON)' });
  });

  test('a template names what its configuration and gate hold', () => {
    const f = productFixture();
    new LoopParameters(f.stack, 'LoopParameters', {
      names: f.names,
      config: f.config,
      configDescription: 'Columns and instance types (JSON)',
      gateThresholdDescription: 'Training gate: minimum AUC',
    });
    const t = productTemplate(f);
    t.hasResourceProperties('AWS::SSM::Parameter', { Description: 'Columns and instance types (JSON)' });
    t.hasResourceProperties('AWS::SSM::Parameter', { Description: 'Training gate: minimum AUC' });
  });

  test.each([
    [{}, /config: must hold at least one value/],
    [{ 'target-column': 'y' }, /config: keys must be camelCase words, got 'target-column'/],
  ])('rejects config %p', (config, message) => {
    const f = productFixture();
    expect(() => new LoopParameters(f.stack, 'LoopParameters', { names: f.names, config })).toThrow(message);
  });
});
