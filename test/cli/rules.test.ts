// trailhound rules list|show|test: the rule catalog without a case. list shows what loads and what does not
// (file:line), show one rule in full (what it matches, which fields the case index decides), test runs every rule's
// examples and lints; list and test exit 6 when a rule does not load or an example fails, show exits 2 for a rule it
// cannot show. Rule text is data: its control characters are escaped like evidence.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { repoRoot, tmpDir } from '../helpers/paths.js';
import { findRawControl } from '../helpers/raw-control.js';

const KEY_PAIR_IMPORT = '92f84194-8d9a-4ee0-8699-c30bfac59780';
const PLACEHOLDERS = ['--placeholder', 'Legitimate_Countries=DE,US', '--placeholder', 'Legitimate_IP_Ranges=203.0.113.0/24'];

function rulesDir(files: Record<string, string>): string {
  const dir = path.join(tmpDir('trailhound-cli-rules-'), 'mine');
  fs.mkdirSync(dir);
  for (const [f, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), t);
  return dir;
}

const sigma = (id: string, detection: string, extra = '') =>
  `title: Rule ${id}\nid: ${id}\nlevel: high\nauthor: Tester\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n${detection}\n${extra}`;

const STOP = sigma(
  'stop',
  '  sel:\n    eventName: StopLogging\n  condition: sel',
  'name: stop_logging\ntests:\n  - name: stops the trail\n    match: true\n    event: {eventName: StopLogging, eventSource: cloudtrail.amazonaws.com}\n  - name: starts it\n    match: false\n    event: {eventName: StartLogging}\n',
);
const STOP_EXTRA = '- name: lower case is the same call\n  match: true\n  event: {eventName: stoplogging}\n';
const BURST = `title: Stopped twice
id: burst
level: critical
correlation:
  type: event_count
  rules: [stop_logging]
  group-by: [userIdentity.arn]
  timespan: 5m
  condition: {gte: 2}
tests:
  - name: twice in a minute
    match: true
    events:
      - {eventName: StopLogging, eventTime: '2025-01-01T00:00:00Z', userIdentity: {arn: 'arn:aws:iam::1:user/a'}}
      - {eventName: StopLogging, eventTime: '2025-01-01T00:01:00Z', userIdentity: {arn: 'arn:aws:iam::1:user/a'}}
  - name: an hour apart
    match: false
    events:
      - {eventName: StopLogging, eventTime: '2025-01-01T00:00:00Z', userIdentity: {arn: 'arn:aws:iam::1:user/a'}}
      - {eventName: StopLogging, eventTime: '2025-01-01T01:00:00Z', userIdentity: {arn: 'arn:aws:iam::1:user/a'}}
`;
const CW = `title: Root use
id: cw-root
level: high
dialect: cloudwatch-filter
filterPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'
tests:
  - name: root console
    match: true
    event: {userIdentity: {type: Root}, eventType: AwsConsoleSignIn}
  - name: root via a service
    match: false
    event: {userIdentity: {type: Root, invokedBy: support.amazonaws.com}, eventType: AwsApiCall}
`;
const BROKEN = 'title: Broken\nid: broken\nlevel: high\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName: X\n  condition: sel or\n';

describe('trailhound rules list', () => {
  it('the shipped packs: every rule loads once the placeholder values are given', async () => {
    const r = await runCliInProcess(['rules', 'list', ...PLACEHOLDERS, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { rules: Array<Record<string, unknown>>; skipped: unknown[] };
    expect(j.skipped).toEqual([]);
    expect(j.rules.length).toBeGreaterThanOrEqual(57);
    expect(new Set(j.rules.map((x) => x.id)).size).toBe(j.rules.length);
    const kp = j.rules.find((x) => x.id === KEY_PAIR_IMPORT)!;
    expect(kp).toMatchObject({ title: 'AWS Key Pair Import Activity', level: 'medium', pack: 'sigma', kind: 'sigma', author: 'Ivan Saakov' });
  });

  it('without them, the placeholder rule is listed as not loading (file:line, reason), which is not a failure (exit 0)', async () => {
    const r = await runCliInProcess(['rules', 'list', '--width', '200']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/── Skipped\n/);
    expect(r.stdout).toMatch(/rules\/sigma\/placeholder\/aws_cloudtrail_console_login_success_from_susp_locations\.yml:\d+\s+unresolved placeholder %Legitimate_/);
  });

  it('a folder: its rules (kinds, examples) and the broken one at its line', async () => {
    const dir = rulesDir({ 'stop.yml': STOP, 'stop.tests.yml': STOP_EXTRA, 'burst.yml': BURST, 'cw.yml': CW, 'broken.yml': BROKEN });
    const r = await runCliInProcess(['rules', 'list', dir, '--format', 'json']);
    expect(r.code).toBe(6);
    const j = JSON.parse(r.stdout) as { rules: Array<Record<string, unknown>>; skipped: Array<Record<string, unknown>> };
    expect(j.rules.map((x) => [x.id, x.kind, (x.examples as unknown[]).length])).toEqual([
      ['burst', 'correlation event_count', 2],
      ['cw-root', 'cloudwatch-filter', 2],
      ['stop', 'sigma', 3],
    ]);
    expect(j.skipped).toEqual([{ path: path.relative(process.cwd(), path.join(dir, 'broken.yml')), line: 10, id: 'broken', reason: expect.stringMatching(/^condition: /), optional: false }]);
  });
});

describe('trailhound rules show', () => {
  it('a shipped rule: its facts, what it matches and which fields the case index decides', async () => {
    const r = await runCliInProcess(['rules', 'show', KEY_PAIR_IMPORT, '--width', '200']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^AWS Key Pair Import Activity\n=+\n/);
    expect(r.stdout).toMatch(/^Author\s+Ivan Saakov$/m);
    expect(r.stdout).toMatch(/^Matches\s+eventSource = "ec2.amazonaws.com" and eventName = "ImportKeyPair"$/m);
    expect(r.stdout).toMatch(/^eventName\s+the case index$/m);
    expect(r.stdout).toMatch(/^File\s+rules\/sigma\/cloudtrail\/aws_ec2_import_key_pair_activity\.yml:1$/m);
  });

  it('JSON: metadata, kind, fields read, examples', async () => {
    const dir = rulesDir({ 'stop.yml': STOP, 'stop.tests.yml': STOP_EXTRA });
    const r = await runCliInProcess(['rules', 'show', 'stop_logging', '--rules', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ id: 'stop', name: 'stop_logging', kind: 'sigma', generate: true, fieldsRead: [{ field: 'eventName', indexed: true }] });
    expect((j.examples as Array<{ name: string; line: number }>).map((e) => e.name)).toEqual(['stops the trail', 'starts it', 'lower case is the same call (stop.tests.yml:1)']);
  });

  it('a correlation: the rules it correlates, group-by, window and condition; its feeder says it makes no findings', async () => {
    const dir = rulesDir({ 'stop.yml': STOP, 'burst.yml': BURST });
    const c = await runCliInProcess(['rules', 'show', 'burst', '--rules', dir, '--width', '200']);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/^Correlates\s+stop_logging$/m);
    expect(c.stdout).toMatch(/^Group by\s+userIdentity\.arn$/m);
    expect(c.stdout).toMatch(/^Within\s+300 s$/m);
    expect(c.stdout).toMatch(/^Condition\s+events gte 2$/m);
    const f = await runCliInProcess(['rules', 'show', 'stop', '--rules', dir, '--width', '200']);
    expect(f.stdout).toMatch(/^Findings\s+none of its own: it feeds a correlation$/m);
  });

  it('an unknown rule, and a rule that does not load: exit 2 with the reason', async () => {
    const dir = rulesDir({ 'stop.yml': STOP, 'broken.yml': BROKEN });
    const unknown = await runCliInProcess(['rules', 'show', 'nope', '--rules', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no rule has id or name "nope" (trailhound rules list shows them)');
    const broken = await runCliInProcess(['rules', 'show', 'broken', '--rules', dir]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`rule broken does not load: ${path.relative(process.cwd(), path.join(dir, 'broken.yml'))}:10: condition: `);
  });
});

describe('trailhound rules test', () => {
  it('every example passes (inline, X.tests.yml, correlation events, CloudWatch): exit 0', async () => {
    const dir = rulesDir({ 'stop.yml': STOP, 'stop.tests.yml': STOP_EXTRA, 'burst.yml': BURST, 'cw.yml': CW });
    const r = await runCliInProcess(['rules', 'test', dir, '--width', '200']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^7 of 7 examples pass\n/);
    expect(r.stdout).toMatch(/^Failed\s+0$/m);
    expect(r.stdout).toMatch(/^Lint\s+0$/m);
  });

  it('a failing example: exit 6, listed with its rule and what it did; JSON says which', async () => {
    const wrong = STOP.replace('name: starts it\n    match: false', 'name: starts it\n    match: true');
    const dir = rulesDir({ 'stop.yml': wrong, 'cw.yml': CW });
    const r = await runCliInProcess(['rules', 'test', dir, '--width', '200']);
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/^3 of 4 examples pass\n/);
    expect(r.stdout).toMatch(/^stop\s+starts it\s+match\s+no match$/m);
    const j = JSON.parse((await runCliInProcess(['rules', 'test', dir, '--format', 'json'])).stdout) as { examples: Array<Record<string, unknown>> };
    expect(j.examples.filter((e) => !e.passed)).toEqual([{ ruleId: 'stop', example: 'starts it', line: expect.any(Number), expect: true, got: false, passed: false }]);
  });

  it('a rule that does not load fails the test run (exit 6); lint names rules without examples', async () => {
    const bare = sigma('bare', '  sel:\n    eventName: X\n  condition: sel');
    const dir = rulesDir({ 'bare.yml': bare, 'broken.yml': BROKEN });
    const r = await runCliInProcess(['rules', 'test', dir, '--format', 'json']);
    expect(r.code).toBe(6);
    const j = JSON.parse(r.stdout) as { rules: number; skipped: unknown[]; lint: string[] };
    expect(j.rules).toBe(1);
    expect(j.skipped).toHaveLength(1);
    expect(j.lint).toEqual([expect.stringMatching(/^bare \(.*bare\.yml:1\): no example that must match$/), expect.stringMatching(/^bare \(.*bare\.yml:1\): no example that must not match$/)]);
  });

  it('the shipped packs pass (with the placeholder values)', async () => {
    const r = await runCliInProcess(['rules', 'test', ...PLACEHOLDERS, '--format', 'json']);
    expect(r.code).toBe(0);
  });
});

describe('hostile rule text', () => {
  it('control characters in a title, author or reason are escaped in list, show and test output', async () => {
    const evil = sigma('evil', '  sel:\n    eventName: X\n  condition: sel').replace('title: Rule evil', 'title: "Evil \\e]0;pwned\\a \\u202e"').replace('author: Tester', 'author: "M\\e[2J"');
    const dir = rulesDir({ 'evil.yml': evil, 'evil2.yml': 'title: "\\e[31m"\nid: "x\\e[31m"\nlevel: high\ndetection: {}\n' });
    for (const args of [['rules', 'list', dir], ['rules', 'show', 'evil', '--rules', dir], ['rules', 'test', dir], ['rules', 'list', dir, '--format', 'md'], ['rules', 'list', dir, '--format', 'csv']]) {
      const r = await runCliInProcess([...args, '--width', '200']);
      expect(findRawControl(r.stdout), args.join(' ')).toBeNull();
      expect(findRawControl(r.stderr), args.join(' ')).toBeNull();
    }
    const shown = await runCliInProcess(['rules', 'show', 'evil', '--rules', dir, '--width', '200']);
    expect(shown.stdout).toContain('Evil \\e]0;pwned\\x07 \\u202e');
  });
});

describe('packaging', () => {
  // Regression test (a bug found in review, now fixed): package.json "files" lists bin, dist, docs, scenarios and README.md but not rules/, so an installed
  // trailhound has no shipped packs: builtinRulesDir() (src/detect/load.ts) throws "the rules/ folder shipped with
  // trailhound is missing". Fix: add "rules" to "files" in package.json (the SigmaHQ licence files are inside it).
  it('the shipped rules are part of the npm package', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('rules');
  });
});
