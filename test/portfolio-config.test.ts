// The portfolio config is validated before anything is built: every bad field is reported by name.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPortfolioConfig, parsePortfolioConfig, PortfolioConfigError } from '../portfolio/config';
import { TEMPLATES } from '../templates';
import { COMMITTED_CONFIG } from './support/synth';

const known = Object.keys(TEMPLATES);
const base = (): Record<string, unknown> => JSON.parse(fs.readFileSync(COMMITTED_CONFIG, 'utf8'));

function errorOf(input: unknown): PortfolioConfigError {
  try {
    parsePortfolioConfig(input, known);
  } catch (e) {
    if (e instanceof PortfolioConfigError) return e;
    throw e;
  }
  throw new Error('expected the config to be rejected');
}

describe('portfolio config validation', () => {
  test('the committed example config is valid and applies defaults', () => {
    const config = loadPortfolioConfig(COMMITTED_CONFIG, known);
    expect(config.templates).toEqual(['deepar-forecasting', 'tabular-xgboost']);
    expect(config.launchRole.mode).toBe('dedicated');
    // Both Studio paths: Service Catalog, and the S3 templates AWS recommends (with the draft, the only
    // version so far, published under its -draft name).
    expect(config.s3Templates).toEqual({
      enabled: true,
      prefix: 'templates',
      publishDraft: true,
      domainIds: [],
      provisioningRole: { mode: 'launch-role' },
    });
  });

  test('missing Studio principal names studioPrincipals', () => {
    const e = errorOf({ ...base(), studioPrincipals: [] });
    expect(e.message).toMatch(/studioPrincipals: at least one Studio execution role ARN is required/);
    const e2 = errorOf({ ...base(), studioPrincipals: undefined });
    expect(e2.fieldErrors.some((f) => f.startsWith('studioPrincipals:'))).toBe(true);
  });

  test('malformed principal ARN names the element', () => {
    const e = errorOf({
      ...base(),
      studioPrincipals: ['arn:aws:iam::123456789012:role/ok', 'arn:aws:iam::12345:user/bob'],
    });
    expect(e.fieldErrors).toEqual([expect.stringMatching(/^studioPrincipals\[1\]: must be an IAM role ARN/)]);
  });

  test('principal from another account is rejected', () => {
    const e = errorOf({ ...base(), studioPrincipals: ['arn:aws:iam::210987654321:role/Studio'] });
    expect(e.message).toMatch(
      /studioPrincipals\[0\]: role is in account 210987654321, the portfolio in 123456789012/,
    );
  });

  test('unknown template name names the element and lists the known ones', () => {
    const e = errorOf({ ...base(), templates: ['deepar-forecasting', 'xgboost-churn'] });
    expect(e.fieldErrors).toEqual([
      `templates[1]: unknown template 'xgboost-churn' (known: ${known.join(', ')})`,
    ]);
  });

  test('duplicate template, bad account, bad region, unknown key and bad launch role mode', () => {
    const e = errorOf({
      ...base(),
      environment: { account: '12345', region: 'mars-1' },
      launchRole: { mode: 'borrowed' },
      surprise: true,
    });
    const text = e.message;
    expect(text).toMatch(/environment\.account: must be a 12-digit AWS account id/);
    expect(text).toMatch(/environment\.region: must be an AWS region/);
    expect(text).toMatch(/launchRole\.mode/);
    expect(text).toMatch(/\(root\): Unrecognized key: "surprise"|surprise/);
    const dup = errorOf({ ...base(), templates: ['deepar-forecasting', 'deepar-forecasting'] });
    expect(dup.message).toMatch(/templates\[1\]: template 'deepar-forecasting' is listed twice/);
  });

  test('existing launch role needs a role ARN when one is given', () => {
    const e = errorOf({ ...base(), launchRole: { mode: 'existing', roleArn: 'not-an-arn' } });
    expect(e.fieldErrors).toEqual([expect.stringMatching(/^launchRole\.roleArn: must be an IAM role ARN/)]);
  });

  test('an unreadable file is reported with its path', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'broken.json');
    fs.writeFileSync(file, '{ "environment": ');
    expect(() => loadPortfolioConfig(file, known)).toThrow(
      new RegExp(`${file.replace(/[.]/g, '\\.')}[\\s\\S]*cannot read JSON`),
    );
  });
});
