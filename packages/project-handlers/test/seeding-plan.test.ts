// Pure seeding decisions: ls-remote parsing, seed or skip, failure reasons and hints, the report.
import {
  classifyExistingBranch,
  decideSeeding,
  exitCodeFor,
  failureHint,
  gitFailureReason,
  MAX_GIT_MESSAGE_CHARS,
  parseLsRemote,
  parseSeedMarker,
  parseSeedReport,
  pushFailureReason,
  SEED_MARKER_FILE,
  seedCommitMessage,
  seedMarkerText,
  summarizeResults,
} from '../src/seeding/plan';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);

describe('decideSeeding', () => {
  test('an empty remote (no output) is seeded', () => {
    expect(decideSeeding(parseLsRemote(''), 'main')).toEqual({ action: 'seed' });
  });

  test('an existing branch is inspected at its head', () => {
    const refs = parseLsRemote(`${SHA_A}\trefs/heads/main\n`);
    expect(decideSeeding(refs, 'main')).toEqual({ action: 'inspect', head: SHA_A });
  });

  test('only the exact branch counts, not one ending with the same name', () => {
    const refs = parseLsRemote(`${SHA_A}\trefs/heads/feature/main\n${SHA_B}\trefs/heads/develop\n`);
    expect(decideSeeding(refs, 'main')).toEqual({ action: 'seed' });
    expect(decideSeeding(refs, 'feature/main').action).toBe('inspect');
  });

  test('parseLsRemote ignores lines that are not refs (warnings, blank lines)', () => {
    const refs = parseLsRemote(`warning: redirecting\n\n${SHA_B}\trefs/heads/main\r\n`);
    expect([...refs]).toEqual([['refs/heads/main', SHA_B]]);
  });
});

describe('classifyExistingBranch', () => {
  const found = { branch: 'main', head: SHA_A };

  test("this repository's marker: already-seeded, with the project that seeded it", () => {
    const outcome = classifyExistingBranch('model-build', {
      ...found,
      files: [SEED_MARKER_FILE, 'README.md', 'buildspec.yml'],
      markerText: seedMarkerText('model-build', 'demand-forecast'),
    });
    expect(outcome).toEqual({
      status: 'already-seeded',
      reason: `branch main (aaaaaaaaaaaa) already holds the model-build seed (${SEED_MARKER_FILE} by project demand-forecast); left untouched`,
    });
  });

  test('a README-only branch (a provider-created repository) fails, naming what was found and how to proceed', () => {
    const outcome = classifyExistingBranch('model-build', { ...found, files: ['README.md'] });
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(
      /^branch main already exists with 1 file \(README\.md\) at aaaaaaaaaaaa; /,
    );
    expect(outcome.reason).toMatch(/no \.sagemaker-project-seed\.json: not this template's seed/);
    expect(outcome.reason).toMatch(
      /To proceed: delete that branch .*create it again empty.*RepositoryBranch/,
    );
  });

  test("another repository's marker is not this seed", () => {
    const outcome = classifyExistingBranch('model-build', {
      ...found,
      files: [SEED_MARKER_FILE],
      markerText: seedMarkerText('monitoring', undefined),
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(/names the monitoring seed, not model-build/);
  });

  test('no marker but every seed file present (seeded before markers): already-seeded; one missing: failed', () => {
    const seedFiles = ['README.md', 'buildspec.yml'];
    expect(
      classifyExistingBranch('model-build', { ...found, files: [...seedFiles, 'user.py'], seedFiles }).status,
    ).toBe('already-seeded');
    expect(classifyExistingBranch('model-build', { ...found, files: ['README.md'], seedFiles }).status).toBe(
      'failed',
    );
  });

  test('many files are listed with a count', () => {
    const files = Array.from({ length: 8 }, (_, i) => `f${i}.txt`);
    expect(classifyExistingBranch('x', { ...found, files }).reason).toMatch(
      /with 8 files \(f0\.txt, f1\.txt, f2\.txt, f3\.txt, f4\.txt, … 3 more\)/,
    );
  });

  test('marker text round-trips; anything else is not a marker', () => {
    expect(parseSeedMarker(seedMarkerText('a', 'p'))).toEqual({ seed: 'a', project: 'p' });
    expect(parseSeedMarker('{"seed":""}')).toBeUndefined();
    expect(parseSeedMarker('not json')).toBeUndefined();
  });
});

describe('pushFailureReason', () => {
  test("a refused push keeps the provider's answer and says how to proceed", () => {
    const reason = pushFailureReason(
      'fatal: unable to access ...: The requested URL returned error: 403',
      128,
    );
    expect(reason).toMatch(/^git push failed: fatal: unable to access .*returned error: 403/);
    expect(reason).toMatch(/refused the push: AWS documents connections for reading/);
    expect(reason).toMatch(/Push the seed yourself/);
  });

  test('another push failure is only the git reason', () => {
    expect(pushFailureReason('! [rejected] HEAD -> main (fetch first)', 1)).not.toMatch(/refused the push/);
  });
});

describe('failure hints', () => {
  test.each([
    [
      "fatal: unable to access 'https://codeconnections.eu-west-1.amazonaws.com/git-http/1/eu-west-1/c/o/r.git/': The requested URL returned error: 403",
      /not authorised for this repository.*AVAILABLE.*one organisation or user installation/,
    ],
    ['remote: Repository not found.\nfatal: repository not found', /check the repository id/],
    ["fatal: repository 'https://x/o/r.git/' not found", /check the repository id/],
    ['The requested URL returned error: 404', /check the repository id/],
    ['remote: Connection has no repositories associated', /no access to this repository.*Repository access/],
    [
      "fatal: could not read Username for 'https://x': terminal prompts disabled",
      /credential helper must be configured.*UseConnection/,
    ],
    ['remote: GH006: Protected branch update failed for refs/heads/main.', /branch's protection/],
    ['! [rejected]        HEAD -> main (fetch first)', /created by someone else during seeding/],
  ])('%s', (message, hint) => {
    expect(failureHint(message)).toMatch(hint);
  });

  test('an unknown message has no hint', () => {
    expect(failureHint('fatal: the remote end hung up unexpectedly')).toBeUndefined();
  });

  test('gitFailureReason trims, keeps the end of long messages and adds the hint', () => {
    expect(gitFailureReason('git push', '\n  error: boom  \n', 1)).toBe('git push failed: error: boom');
    expect(gitFailureReason('git push', '', 128)).toBe('git push failed: exit code 128');
    expect(gitFailureReason('git push', '', null)).toBe('git push failed: exit code none (killed)');
    const long = `${'x'.repeat(5000)} returned error: 403`;
    const reason = gitFailureReason('git ls-remote', long, 128);
    expect(reason.startsWith('git ls-remote failed: …x')).toBe(true);
    expect(reason).toContain('returned error: 403 (hint: the connection is not authorised');
    expect(reason.length).toBeLessThan(MAX_GIT_MESSAGE_CHARS + 1000);
  });
});

describe('report', () => {
  const results = [
    { name: 'a', repositoryId: 'o/a', status: 'seeded' as const, commit: SHA_A },
    { name: 'b', repositoryId: 'o/b', status: 'already-seeded' as const, reason: 'holds the seed' },
    { name: 'c', repositoryId: 'o/c', status: 'failed' as const, reason: 'git push failed: x' },
  ];

  test('summary and exit code', () => {
    expect(summarizeResults(results)).toEqual({ seeded: 1, 'already-seeded': 1, failed: 1 });
    expect(exitCodeFor({ results })).toBe(1);
    expect(exitCodeFor({ results: results.slice(0, 2) })).toBe(0);
    expect(exitCodeFor({ results: [], error: 'bad config' })).toBe(1);
  });

  test('parseSeedReport round-trips a report and rejects other JSON', () => {
    const report = { results, buildId: 'p:1' };
    expect(parseSeedReport(JSON.stringify(report))).toEqual(report);
    expect(() => parseSeedReport('{')).toThrow(/^not JSON/);
    expect(() => parseSeedReport('{"results":[{"name":"a","status":"done"}]}')).toThrow(
      /results\.0\.repositoryId: .*results\.0\.status: /,
    );
  });

  test('commit message names the project when known', () => {
    expect(seedCommitMessage('demand')).toBe('Seed code of SageMaker project demand');
    expect(seedCommitMessage(undefined)).toBe('Seed code of SageMaker project');
  });
});
