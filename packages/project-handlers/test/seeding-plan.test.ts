// Pure seeding decisions: ls-remote parsing, seed or skip, failure reasons and hints, the report.
import {
  decideSeeding,
  exitCodeFor,
  failureHint,
  gitFailureReason,
  MAX_GIT_MESSAGE_CHARS,
  parseLsRemote,
  parseSeedReport,
  seedCommitMessage,
  summarizeResults,
} from '../src/seeding/plan';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);

describe('decideSeeding', () => {
  test('an empty remote (no output) is seeded', () => {
    expect(decideSeeding(parseLsRemote(''), 'main')).toEqual({ action: 'seed' });
  });

  test('an existing branch is skipped with its head in the reason', () => {
    const refs = parseLsRemote(`${SHA_A}\trefs/heads/main\n`);
    expect(decideSeeding(refs, 'main')).toEqual({
      action: 'skip',
      reason: 'not empty: branch main already has commits (aaaaaaaaaaaa); left untouched',
    });
  });

  test('only the exact branch counts, not one ending with the same name', () => {
    const refs = parseLsRemote(`${SHA_A}\trefs/heads/feature/main\n${SHA_B}\trefs/heads/develop\n`);
    expect(decideSeeding(refs, 'main')).toEqual({ action: 'seed' });
    expect(decideSeeding(refs, 'feature/main').action).toBe('skip');
  });

  test('parseLsRemote ignores lines that are not refs (warnings, blank lines)', () => {
    const refs = parseLsRemote(`warning: redirecting\n\n${SHA_B}\trefs/heads/main\r\n`);
    expect([...refs]).toEqual([['refs/heads/main', SHA_B]]);
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
    { name: 'b', repositoryId: 'o/b', status: 'skipped' as const, reason: 'not empty' },
    { name: 'c', repositoryId: 'o/c', status: 'failed' as const, reason: 'git push failed: x' },
  ];

  test('summary and exit code', () => {
    expect(summarizeResults(results)).toEqual({ seeded: 1, skipped: 1, failed: 1 });
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
