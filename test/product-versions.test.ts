// Product versions: releasing a new version keeps every earlier provisioning artifact (read from
// its locked snapshot), a locked version can never change, and a locked name is never reused.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  readVersions,
  releaseVersion,
  snapshotDirectory,
  startDraftVersion,
  writeVersions,
} from '../portfolio/versions';
import { fixtureTemplate } from './support/fixture-template';
import { configWith, synthPortfolio } from './support/synth';

function artifactsOf(s: ReturnType<typeof synthPortfolio>): Array<{ Name: string; Info: unknown }> {
  const products = Object.values(
    s.portfolioTemplate.findResources('AWS::ServiceCatalog::CloudFormationProduct'),
  );
  expect(products).toHaveLength(1);
  return products[0].Properties.ProvisioningArtifactParameters;
}

describe('template versions', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'versions-'));
  let content = 'first';
  const template = fixtureTemplate(dir, () => content);
  const registry = { fixture: template };
  const synth = () =>
    synthPortfolio(configWith({ templates: ['fixture'] }, registry), { nag: false, templates: registry });
  const snapshotFiles = () => fs.readdirSync(snapshotDirectory(dir)).sort();

  test('release cycle: draft 1.0.0 → locked → draft 1.1.0 keeps 1.0.0 provisionable → locked 1.0.0 cannot change', () => {
    writeVersions(dir, [{ name: '1.0.0', locked: false, description: 'first release' }]);
    expect(artifactsOf(synth()).map((a) => a.Name)).toEqual(['1.0.0']);

    // Release: lock the draft. Synth writes (and from now on compares) the locked snapshot.
    writeVersions(dir, releaseVersion(readVersions(dir), '1.0.0').versions);
    synth();
    const [v1File] = snapshotFiles();
    expect(v1File).toMatch(/\.1\.0\.0\.product\.template\.json$/);
    const v1Snapshot = fs.readFileSync(path.join(snapshotDirectory(dir), v1File), 'utf8');
    expect(v1Snapshot).toContain('"DisplayName": "first"');

    // Changing the template while 1.0.0 is the locked current version fails synth.
    content = 'second';
    expect(() => synth()).toThrow(/Template has changed for ProductStack Version 1\.0\.0/);

    // A new draft version publishes the change next to the untouched 1.0.0.
    writeVersions(dir, startDraftVersion(readVersions(dir), '1.1.0'));
    const s = synth();
    expect(artifactsOf(s).map((a) => a.Name)).toEqual(['1.0.0', '1.1.0']);
    expect(fs.readFileSync(path.join(snapshotDirectory(dir), v1File), 'utf8')).toBe(v1Snapshot);
    expect(snapshotFiles()).toHaveLength(2);
    const current = JSON.parse(fs.readFileSync(s.productTemplateFiles.fixture, 'utf8'));
    expect(JSON.stringify(current)).toContain('"DisplayName":"second"');

    // The locked version is refused for a second release, and a draft cannot be stacked on a draft.
    expect(() => releaseVersion(readVersions(dir), '1.0.0')).toThrow(/version '1\.0\.0' is locked/);
    expect(() => startDraftVersion(readVersions(dir), '1.2.0')).toThrow(/still a draft/);
  });

  test('releasing a draft under another name renames it; malformed version lists are rejected', () => {
    const draft = [
      { name: '1.0.0', locked: true },
      { name: 'next', locked: false },
    ];
    const { versions, renamedDraft } = releaseVersion(draft, '1.1.0');
    expect(versions).toEqual([
      { name: '1.0.0', locked: true },
      { name: '1.1.0', locked: true, description: undefined },
    ]);
    expect(renamedDraft).toBe('next');
    expect(() =>
      writeVersions(dir, [
        { name: 'a', locked: false },
        { name: 'b', locked: true },
      ]),
    ).toThrow(/versions\[0\]\.locked: only the last \(current\) version may be unlocked/);
    expect(() =>
      writeVersions(dir, [
        { name: 'a', locked: true },
        { name: 'a', locked: true },
      ]),
    ).toThrow(/versions\[1\]\.name: duplicate version 'a'/);
  });
});
