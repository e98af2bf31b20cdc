// trailhound sql-for: what the command prints and refuses (the SQL's meaning is tested on DuckDB in
// test/detect/sql-for-engines.test.ts and test/scenarios/at-scale-duckdb.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasControl } from '../../src/model/escape.js';
import { trinoString } from '../../src/model/sql-targets.js';
import { tmpDir } from '../helpers/paths.js';
import { runCliInProcess } from '../helpers/cli.js';
import { loadRuleSet } from '../../src/detect/rule-set.js';
import { translateRule } from '../../src/detect/sql-for.js';

describe('trailhound sql-for', () => {
  it('prints one statement for every translating rule, over the AWS table by default', async () => {
    const r = await runCliInProcess(['sql-for', 'athena', 'detect']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^-- trailhound .* sql-for athena detect: \d+ of \d+ rules over cloudtrail_logs/);
    expect(r.stdout.match(/;\s*$/gm)).toHaveLength(1);
    expect(r.stdout).toContain('FROM cloudtrail_logs e CROSS JOIN (VALUES');
    expect(r.stdout).toContain('GROUP BY 1, 2');
  });

  it('--format json says which rules translate and why the others do not', async () => {
    const r = await runCliInProcess(['sql-for', 'trino', 'detect', '--target', 'parquet', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { engine: string; target: string; table: string; output: string; translated: number; rules: Array<{ ruleId: string; translated: boolean; reasons: string[] }>; sql: string };
    expect(out).toMatchObject({ engine: 'trino', target: 'parquet', table: 'trailhound_events', output: 'findings' });
    const { rules } = loadRuleSet();
    const findingRules = rules.filter((x) => x.kind === 'correlation' || x.generate);
    expect(out.rules.map((x) => x.ruleId).sort()).toEqual(findingRules.map((x) => x.meta.id).sort());
    expect(out.translated).toBe(findingRules.filter((x) => translateRule(x, 'parquet').translated).length);
    for (const x of out.rules) expect(x.translated ? x.reasons.length === 0 : x.reasons.length > 0, x.ruleId).toBe(true);
    expect(out.sql).toContain('FROM trailhound_events e');
  });

  it('--output events returns the records on Parquet, the log files on the AWS table, and includes correlation inputs', async () => {
    const p = await runCliInProcess(['sql-for', 'trino', 'detect', '--target', 'parquet', '--output', 'events', '--table', 'lake.ir.trailhound_events']);
    expect(p.stdout).toContain('e.record AS cloudtrailevent');
    expect(p.stdout).toContain('FROM lake.ir.trailhound_events e');
    expect(p.stdout).toContain("'th-console-login-failures-by-ip-base'");
    const c = await runCliInProcess(['sql-for', 'athena', 'detect', '--output', 'events']);
    expect(c.stdout).toContain('e."$path" AS evidence_file');
    expect(c.stdout).not.toContain('cloudtrailevent');
  });

  it('--explain lists each rule with yes or no and the reasons', async () => {
    const r = await runCliInProcess(['sql-for', 'athena', 'detect', '--explain', '--rule', 'cis-aws-7.0-5.3', '--rule', 'th-cloudtrail-selectors-drop-management-events']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^yes {2}cis-aws-7\.0-5\.3 /m);
    expect(r.stdout).toMatch(/^no {3}th-cloudtrail-selectors-drop-management-events .*\n {7}- requestParameters\.eventSelectors\.includeManagementEvents = false: "eventSelectors" is an array/m);
    expect(r.stdout).toMatch(/1 of 2 rules translate/);
  });

  it('investigate prints the steps and one statement', async () => {
    const r = await runCliInProcess(['sql-for', 'athena', 'investigate', 'access-key', 'AKIAXXXXXXXXXXXXXXXX']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('--   key-and-minted:');
    expect(r.stdout).toContain('WITH RECURSIVE lineage');
    expect(r.stdout).toContain("'AKIAXXXXXXXXXXXXXXXX'");
    const j = await runCliInProcess(['sql-for', 'trino', 'investigate', 'iam', '--format', 'json', '--target', 'parquet']);
    expect(JSON.parse(j.stdout)).toMatchObject({ investigation: 'iam', subject: null, steps: [{ id: 'iam-changes' }] });
  });

  it('rules show says per target whether a rule translates, and why not', async () => {
    const yes = JSON.parse((await runCliInProcess(['rules', 'show', 'cis-aws-7.0-5.3', '--format', 'json'])).stdout) as { sqlFor: Record<string, { translated: boolean; reasons: string[] }> };
    expect(yes.sqlFor).toEqual({ cloudtrail: { translated: true, reasons: [] }, parquet: { translated: true, reasons: [] } });
    const no = await runCliInProcess(['rules', 'show', 'th-ami-shared-with-account']);
    expect(no.stdout).toMatch(/Trino\/Athena +CloudTrail table: no \(requestParameters\.launchPermission\.add\.items\.userId = "\*": "items" is an array/);
  });

  it('keeps hostile rule text inside literals and comments: no raw control character, nothing breaks out into SQL', async () => {
    const dir = tmpDir();
    const rule = (id: string, selection: string) =>
      `title: "hostile \\e[2J title"\nid: "${id}"\nstatus: test\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  sel: ${selection}\n  condition: sel\nlevel: high\n`;
    fs.writeFileSync(path.join(dir, 'a.yml'), rule('evil\\nDROP TABLE cloudtrail_logs;', '{eventName: "x\\u001b[2J\\n\'; DROP"}'));
    fs.writeFileSync(path.join(dir, 'b.yml'), rule('bad\\nDROP TABLE cloudtrail_logs;', '["keyword"]'));
    for (const args of [[], ['--output', 'events'], ['--target', 'parquet']]) {
      const r = await runCliInProcess(['sql-for', 'athena', 'detect', '--rules', dir, ...args]);
      expect(r.code, r.stderr).toBe(0);
      for (const line of r.stdout.split('\n')) expect(hasControl(line), JSON.stringify(line)).toBe(false);
      expect(r.stdout).not.toMatch(/^DROP/m);
      expect(r.stdout).toContain("U&'evil\\000aDROP TABLE cloudtrail_logs;'");
      expect(r.stdout).toContain("U&'x\\001b[2j\\000a''; drop'");
      expect(r.stdout).toContain('-- Not translated (1; trailhound sql-for athena detect --explain lists why): bad\\nDROP TABLE cloudtrail_logs;');
    }
    const explain = await runCliInProcess(['sql-for', 'athena', 'detect', '--rules', dir, '--explain']);
    for (const line of explain.stdout.split('\n')) expect(hasControl(line), JSON.stringify(line)).toBe(false);
  });

  it('writes a control character in a Trino literal as a Unicode escape, the value unchanged', () => {
    expect(trinoString("it's")).toBe("'it''s'");
    expect(trinoString('a\\b\nc\u202e')).toBe("U&'a\\\\b\\000ac\\202e'");
  });

  it.each([
    [['sql-for', 'presto', 'detect'], /Invalid values|engine/],
    [['sql-for', 'athena', 'detect', '--table', 'logs; DROP TABLE x'], /--table: "logs; DROP TABLE x" is not a table name/],
    [['sql-for', 'athena', 'investigate'], /name an investigation: access-key <AKIA… or ASIA… key ID>/],
    [['sql-for', 'athena', 'investigate', 'access-key'], /give the AKIA… or ASIA… key ID/],
    [['sql-for', 'athena', 'investigate', 'instance', 'i-nothex'], /"i-nothex" is not valid \(expected: instance ID, i-…\)/],
    [['sql-for', 'athena', 'investigate', 'timeline'], /"timeline" has no steps at scale; investigations that do: access-key, instance/],
    [['sql-for', 'athena', 'investigate', 'iam', '--output', 'events'], /--output applies to sql-for … detect/],
    [['sql-for', 'athena', 'detect', 'access-key'], /detect takes no "access-key"/],
    [['sql-for', 'athena', 'investigate', 'iam', '--start-time', '2024-02-01'], /--start-time applies to sql-for … detect/],
    [['sql-for', 'athena', 'detect', '--start-time', 'yesterdayish'], /--start-time: cannot read time "yesterdayish"/],
    [['sql-for', 'athena', 'detect', '--rule', 'no-such-rule'], /--rule: no loaded rule has id or name "no-such-rule"/],
  ])('refuses %j', async (args, message) => {
    const r = await runCliInProcess(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
