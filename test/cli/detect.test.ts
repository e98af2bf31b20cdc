// trailhound detect as a user and a script see it (docs/json-output.md#detect, docs/exit-codes.md): every output
// format, the JSON contract fields, --min-level, --fail-level (exit 6), --rule with an unknown id (exit 2 with a
// suggestion), --rules with a broken rule (the others run; file:line reported), re-runs, and rule text holding
// terminal escapes shown escaped.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { copyCase } from '../helpers/cases.js';
import { tmpDir } from '../helpers/paths.js';
import { findRawControl } from '../helpers/raw-control.js';
import { LEVELS } from '../../src/model/detection.js';
import { ACCT, event, makeCase, user } from '../detect/engine/engine-case.js';

const DISABLE_LOGGING = '4db60cc0-36fb-42b7-9b58-a5b53019fb74';
/** AWS Key Pair Import Activity: m.keller imports a key pair in the sample. */
const KEY_PAIR_IMPORT = '92f84194-8d9a-4ee0-8699-c30bfac59780';

interface DetectJson {
  rules: { loaded: number; run: number; skipped: Array<{ path: string; line: number | null; reason: string }> };
  run: { events: number; newEvents: number; rulesIncremental: number; recordsRead: number; unreadable: number; ms: number };
  findings: Array<Record<string, unknown> & { ruleId: string; level: string; eventIds: string[]; title: string }>;
}

async function detectJson(args: string[]): Promise<{ code: number; json: DetectJson; stderr: string }> {
  const r = await runCliInProcess(['detect', ...args, '--format', 'json']);
  return { code: r.code, json: JSON.parse(r.stdout) as DetectJson, stderr: r.stderr };
}

/** A rules folder: file name → YAML text. */
function rulesDir(files: Record<string, string>): string {
  const dir = path.join(tmpDir('trailhound-cli-rules-'), 'mine');
  fs.mkdirSync(dir);
  for (const [f, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), t);
  return dir;
}

const consoleLogins = (title: string, level = 'high', author = 'Tester') =>
  `title: "${title}"\nid: my-console-login\nlevel: ${level}\nauthor: "${author}"\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName: ConsoleLogin\n  condition: sel\n`;

describe('trailhound detect on the committed sample', () => {
  let db = '';
  let first: DetectJson;
  beforeAll(async () => {
    db = copyCase('sample');
    const r = await detectJson(['--db', db]);
    expect(r.code).toBe(0);
    first = r.json;
  });

  it('JSON: rules loaded and skipped (with path, line, reason), the run, and findings with the contract fields', () => {
    expect(first.rules.loaded).toBeGreaterThanOrEqual(56);
    expect(first.rules.run).toBe(first.rules.loaded);
    // The one shipped rule that needs placeholder values is skipped, and says how to supply them.
    expect(first.rules.skipped).toHaveLength(1);
    expect(first.rules.skipped[0]).toMatchObject({ path: expect.stringMatching(/^rules\/sigma\/placeholder\/.+\.yml$/), line: expect.any(Number), reason: expect.stringContaining('placeholder') });
    expect(first.run.events).toBeGreaterThan(4000);
    expect(first.findings.length).toBeGreaterThan(5);
    for (const f of first.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['ruleId', 'title', 'level', 'tags', 'author', 'outcome', 'firstTime', 'lastTime', 'eventIds', 'principals', 'sourceIps']));
      expect(LEVELS).toContain(f.level);
      expect(['succeeded', 'failed', 'mixed']).toContain(f.outcome);
      expect(f.eventIds.length).toBe(f.eventCount);
      expect(f.author).toEqual(expect.any(String));
    }
    // Most severe first.
    const ranks = first.findings.map((f) => LEVELS.indexOf(f.level as (typeof LEVELS)[number]));
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
  });

  it('a second run evaluates no new events and gives the same findings', async () => {
    const again = await detectJson(['--db', db]);
    expect(again.json.run.newEvents).toBe(0);
    expect(again.json.run.rulesIncremental).toBeGreaterThan(50);
    expect(again.json.findings).toEqual(first.findings);
  });

  it('table: one row per finding, the author shown; a summary and the skipped rule (file:line) on stderr', async () => {
    const r = await runCliInProcess(['detect', '--db', db, '--width', '250']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Level\s+Rule\s+Outcome\s+Events\s+First\s+Last\s+Principal\s+Source.*\s+Details\s*$/);
    expect(r.stdout).toContain('\nRule authors:\n');
    expect(r.stdout).toContain('AWS Root Credentials');
    expect(r.stderr).toMatch(new RegExp(`^${first.findings.length} findings \\(\\d+ high, \\d+ medium, \\d+ low\\) from ${first.rules.run} rules over ${first.run.events} events`, 'm'));
    const s = first.rules.skipped[0];
    expect(r.stderr).toContain(`trailhound: rule skipped: ${s.path}:${s.line}: ${s.reason}`);
  });

  // Issue 11 (and the Detection Rule License) want the author shown wherever a match is shown: in full, under the
  // table (a column would be cut on a narrow terminal).
  it('table: the rule author is shown in full at 250 columns', async () => {
    const r = await runCliInProcess(['detect', '--db', db, '--width', '250']);
    for (const f of first.findings) expect(r.stdout).toContain(f.author as string);
  });

  it('jsonl: one finding a line, the same as the JSON findings', async () => {
    const r = await runCliInProcess(['detect', '--db', db, '--format', 'jsonl']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(first.findings);
  });

  it('csv: a header and one record per finding, lists joined with ;', async () => {
    const r = await runCliInProcess(['detect', '--db', db, '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split(/\r?\n/);
    expect(lines[0]).toBe('findingId,level,ruleId,title,outcome,errorCodes,firstTime,lastTime,eventCount,principals,accessKeyIds,sourceIps,accounts,regions,details,author,pack,tags,trust,eventIds');
    expect(lines).toHaveLength(first.findings.length + 1);
    const f = first.findings[0];
    expect(lines[1].startsWith(`${f.findingId as string},${f.level},${f.ruleId},`)).toBe(true);
    expect(lines[1].endsWith(f.eventIds.join(';'))).toBe(true);
  });

  it('md: a Markdown table with a row per finding', async () => {
    const r = await runCliInProcess(['detect', '--db', db, '--format', 'md']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('|'));
    expect(rows[0]).toMatch(/^\| Level \| Rule \| Outcome \|/);
    expect(rows).toHaveLength(first.findings.length + 2);
  });

  it('--min-level shows only findings at or above it', async () => {
    const r = await detectJson(['--db', db, '--min-level', 'medium']);
    expect(r.json.findings).toEqual(first.findings.filter((f) => f.level !== 'low' && f.level !== 'informational'));
    expect(r.json.findings.length).toBeGreaterThan(0);
  });

  it('--fail-level: exit 6 when a finding is at or above it, 0 otherwise; the findings are printed either way', async () => {
    const medium = await runCliInProcess(['detect', '--db', db, '--fail-level', 'medium', '--format', 'json']);
    expect(medium.code).toBe(6);
    expect((JSON.parse(medium.stdout) as DetectJson).findings.length).toBe(first.findings.length);
    // The planted attacks are high; no shipped rule is critical (test/detect/pack/sample.test.ts holds the noise to
    // nothing high or critical).
    expect((await runCliInProcess(['detect', '--db', db, '--fail-level', 'high', '--format', 'json'])).code).toBe(6);
    expect((await runCliInProcess(['detect', '--db', db, '--fail-level', 'critical', '--format', 'json'])).code).toBe(0);
    // --min-level hides what --fail-level still counts.
    expect((await runCliInProcess(['detect', '--db', db, '--min-level', 'high', '--fail-level', 'low', '--format', 'json'])).code).toBe(6);
  });

  it('a level that is not one: exit 2, naming the allowed levels', async () => {
    const r = await runCliInProcess(['detect', '--db', db, '--fail-level', 'severe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--fail-level: "severe" is not a level; allowed: informational, low, medium, high, critical');
  });

  it('--rule runs only that rule; an unknown one exits 2 and suggests ids that contain it', async () => {
    const one = await detectJson(['--db', db, '--rule', KEY_PAIR_IMPORT]);
    expect(one.code).toBe(0);
    expect(one.json.rules.run).toBe(1);
    expect(one.json.findings.map((f) => f.ruleId)).toEqual([KEY_PAIR_IMPORT]);
    const r = await runCliInProcess(['detect', '--db', db, '--rule', '4db60cc0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--rule: no loaded rule has id or name "4db60cc0"; did you mean ${DISABLE_LOGGING}?`);
    expect(r.stdout).toBe('');
  });

  it('--rule leaves the findings of the other rules in the case', async () => {
    const after = await detectJson(['--db', db]);
    expect(after.json.findings).toEqual(first.findings);
  });
});

describe('trailhound detect --rules DIR', () => {
  let db = '';
  beforeAll(() => {
    db = copyCase('sample');
  });

  it('a broken rule is reported with file:line and reason; the other rules still run', async () => {
    const dir = rulesDir({
      'good.yml': consoleLogins('Console logins'),
      'broken.yml': 'title: Broken\nid: broken\nlevel: high\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName|nonsense: X\n  condition: sel\n',
    });
    const table = await runCliInProcess(['detect', '--db', db, '--rules', dir, '--width', '200']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Console logins');
    const shown = path.relative(process.cwd(), path.join(dir, 'broken.yml'));
    expect(table.stderr).toMatch(new RegExp(`trailhound: rule skipped: ${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:9: .*nonsense`));
    const json = await detectJson(['--db', db, '--rules', dir]);
    expect(json.json.rules).toMatchObject({ loaded: 1, run: 1, skipped: [{ path: shown, line: 9, reason: expect.stringContaining('nonsense') }] });
    expect(json.json.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['my-console-login']));
    expect(json.json.findings.every((f) => f.ruleId === 'my-console-login')).toBe(true);
  });

  it('a rules folder that does not exist is a usage error', async () => {
    const r = await runCliInProcess(['detect', '--db', db, '--rules', path.join(tmpDir(), 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rules folder .*nope does not exist/);
  });

  it('rule text holding terminal escapes is shown escaped in the table, Markdown and stderr; JSON keeps it exact', async () => {
    const evil = 'Evil \\e]0;pwned\\a title \\u202e';
    const dir = rulesDir({ 'evil.yml': consoleLogins(evil, 'high', 'Mallory \\e[2J'), 'evil-broken.yml': 'title: "x"\nid: "bad\\e[31m"\nlevel: "\\e[2Jhigh"\n' });
    for (const format of ['table', 'md', 'csv']) {
      const r = await runCliInProcess(['detect', '--db', db, '--rules', dir, '--format', format, '--width', '300']);
      expect(r.code).toBe(0);
      expect(findRawControl(r.stdout)).toBeNull();
      expect(findRawControl(r.stderr)).toBeNull();
      if (format === 'table') expect(r.stdout).toContain('Evil \\e]0;pwned\\x07 title \\u202e');
    }
    const json = await detectJson(['--db', db, '--rules', dir]);
    expect(json.json.findings[0].title).toBe('Evil \u001b]0;pwned\u0007 title \u202e');
    expect(json.json.findings[0].author).toBe('Mallory \u001b[2J');
  });
});

describe('trailhound detect: evidence text in findings', () => {
  it('terminal escapes in principals, IPs, error codes and rule fields taken from the records are escaped in table, Markdown and CSV; JSON keeps them exact', async () => {
    const hostile = 'evil\u001b]52;c;cHduZWQ=\u0007\u202e';
    const c = await makeCase([
      event({
        eventSource: 's3.amazonaws.com',
        eventName: 'PutBucketPolicy',
        userIdentity: { ...user('alice'), arn: `arn:aws:iam::${ACCT}:user/${hostile}` },
        sourceIPAddress: `203.0.113.9${hostile}`,
        errorCode: `AccessDenied${hostile}`,
        requestParameters: { bucketName: `bucket-${hostile}` },
      }),
    ]);
    try {
      const rule =
        'title: Bucket policy\nid: my-bucket-policy\nlevel: high\nauthor: Tester\nlogsource:\n  product: aws\n  service: cloudtrail\n' +
        'detection:\n  sel:\n    eventName: PutBucketPolicy\n  condition: sel\nfields:\n  - requestParameters.bucketName\n';
      const dir = rulesDir({ 'bucket.yml': rule });
      for (const format of ['table', 'md', 'csv']) {
        const r = await runCliInProcess(['detect', '--db', c.dbPath, '--rules', dir, '--format', format, '--width', '400']);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('bucket-evil');
        expect(findRawControl(r.stdout), format).toBeNull();
        expect(findRawControl(r.stderr), format).toBeNull();
      }
      const j = await detectJson(['--db', c.dbPath, '--rules', dir]);
      const f = j.json.findings[0] as unknown as { principals: string[]; errorCodes: string[]; details: Record<string, string[]> };
      expect(f.principals).toEqual([`arn:aws:iam::${ACCT}:user/${hostile}`]);
      expect(f.errorCodes).toEqual([`AccessDenied${hostile}`]);
      expect(f.details['requestParameters.bucketName']).toEqual([`bucket-${hostile}`]);
    } finally {
      c.remove();
    }
  });
});

describe('trailhound detect: option errors and the scan cross-check', () => {
  it('--placeholder without name=values is a usage error naming the option and the value', async () => {
    const r = await runCliInProcess(['detect', '--db', copyCase('sample'), '--placeholder', 'Legitimate_Countries']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--placeholder: "Legitimate_Countries" is not name=value1,value2');
  });

  it('--strategy takes sql or scan only; scan gives the same findings as the index', async () => {
    const bad = await runCliInProcess(['detect', '--db', copyCase('sample'), '--strategy', 'fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Argument: strategy, Given: "fast", Choices: "sql", "scan"');
    const rules = rulesDir({ 'c.yml': consoleLogins('Console sign-ins') });
    const sql = await detectJson(['--db', copyCase('sample'), '--rules', rules]);
    const scan = await detectJson(['--db', copyCase('sample'), '--rules', rules, '--strategy', 'scan']);
    expect(scan.json.findings.length).toBeGreaterThan(0);
    expect(scan.json.findings).toEqual(sql.json.findings);
    expect(scan.json.run.recordsRead).toBe(scan.json.run.events);
  });
});
