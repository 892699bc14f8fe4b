// What `cdk synth` synthesizes from: the build step's stage parameters when given, otherwise the
// committed example placeholders, with a notice on stderr.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_DIR, exampleParameters } from './helpers';
import { resolveSynthInput } from '../src/app-input';
import { ConfigError } from '../src/stage-config';

describe('resolveSynthInput', () => {
  test('no parameters: the committed example, for CDK_DEFAULT_ACCOUNT/REGION, and it says so', () => {
    const notices: string[] = [];
    const input = resolveSynthInput(
      { CDK_DEFAULT_ACCOUNT: '210987654321', CDK_DEFAULT_REGION: 'eu-west-1' },
      undefined,
      (m) => notices.push(m),
      CONFIG_DIR,
    );
    expect(input.example).toBe(true);
    expect(input.parameters.modelPackage.arn).toBe(
      'arn:aws:sagemaker:eu-west-1:210987654321:model-package/sagemaker-p-abcdefghijkl-models/1',
    );
    expect(input.parameters.project.kmsKeyArn).toMatch(/^arn:aws:kms:eu-west-1:210987654321:key\//);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/no stage parameters given/);
    expect(notices[0]).toMatch(/These templates are examples/);
  });

  test('the build step file (context stageParameters or STAGE_PARAMETERS_FILE) is used as it is, silently', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-input-'));
    const file = path.join(dir, 'stage-parameters.json');
    const parameters = exampleParameters();
    fs.writeFileSync(file, JSON.stringify(parameters));
    const notices: string[] = [];
    expect(resolveSynthInput({}, file, (m) => notices.push(m), CONFIG_DIR)).toEqual({
      parameters,
      source: file,
      example: false,
    });
    expect(
      resolveSynthInput({ STAGE_PARAMETERS_FILE: file }, undefined, (m) => notices.push(m), CONFIG_DIR)
        .parameters,
    ).toEqual(parameters);
    expect(notices).toEqual([]);

    fs.writeFileSync(
      file,
      JSON.stringify({ ...parameters, modelPackage: { ...parameters.modelPackage, arn: 'latest' } }),
    );
    expect(() => resolveSynthInput({}, file, () => undefined, CONFIG_DIR)).toThrow(ConfigError);
    expect(() => resolveSynthInput({}, file, () => undefined, CONFIG_DIR)).toThrow(
      /modelPackage\.arn: must be a versioned model package ARN/,
    );
    expect(() => resolveSynthInput({}, path.join(dir, 'nope.json'), () => undefined, CONFIG_DIR)).toThrow(
      /cannot read stage parameters/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
