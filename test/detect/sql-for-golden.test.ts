// The Trino/Athena text of every shipped rule, reviewed once and kept as a golden file per rule
// (test/detect/golden/sql-for/<rule>.sql: the WHERE over the AWS CloudTrail table and over the Parquet export, or
// why the rule does not translate). A change to the compiler or a rule shows up as a diff to review; `npx vitest run
// test/detect/sql-for-golden.test.ts -u` rewrites them. Also: the SQL uses only Trino functions from the reference
// (https://trino.io/docs/current/functions/list.html), and the renderings a reviewer cares about most.
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../src/detect/rule-set.js';
import { detectionScript, ruleWhereFile, translateRule } from '../../src/detect/sql-for.js';
import { likePattern, regexDifference, renderFieldTest } from '../../src/detect/trino-dialect.js';
import { investigationSql, scaleInvestigations, scalePlan } from '../../src/scenarios/at-scale.js';
import { SQL_TARGETS } from '../../src/model/sql-targets.js';
import type { FieldTest } from '../../src/detect/predicate.js';
import { compileSigmaDetection } from '../../src/detect/sigma/compile.js';

const { rules } = loadRuleSet();

/** Functions the generator may call, each checked against Trino's function list (and Athena engine 3's). */
const TRINO_FUNCTIONS = new Set(['lower', 'json_extract_scalar', 'json_extract', 'regexp_like', 'contains', 'coalesce', 'nullif', 'count', 'min', 'max', 'strpos', 'cast', 'try_cast']);

/** Words before "(" that are SQL syntax, not calls: keywords, and the generator's own CTE and alias names. */
const SYNTAX = new Set(['as', 'in', 'values', 'and', 'or', 'not', 'join', 'where', 'when', 'then', 'else', 'on', 'from', 'select', 'recursive', 'with', 'lineage', 'owner', 'group_names', 'signed_in', 'first_seen', 'sets', 'r', 's', 'matched', 'exists']);

/** Function-call names in SQL text, outside comments, string literals and quoted identifiers. */
function calledNames(sql: string): string[] {
  const bare = sql.replace(/--.*$/gm, '').replace(/'(?:[^']|'')*'/g, "''").replace(/"[^"]*"/g, '""');
  return [...bare.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)].map((m) => m[1].toLowerCase()).filter((n) => !SYNTAX.has(n));
}

describe('sql-for golden files', () => {
  for (const rule of rules) {
    if (rule.kind !== 'event') continue;
    it(`${rule.meta.id}`, async () => {
      const text = SQL_TARGETS.map((t) => `-- target: ${t}\n${ruleWhereFile(rule, t)}`).join('\n');
      await expect(text).toMatchFileSnapshot(`golden/sql-for/${rule.meta.id.replace(/[^A-Za-z0-9._-]/g, '_')}.sql`);
    });
  }
});

describe('sql-for text', () => {
  it('calls only Trino functions, for every rule, both outputs and both targets', () => {
    const names = new Set<string>();
    for (const target of SQL_TARGETS) {
      for (const output of ['findings', 'events'] as const) {
        for (const n of calledNames(detectionScript(rules, { target, table: 'cloudtrail_logs', output, engine: 'trino', toolVersion: 't' }).sql)) names.add(n);
      }
      for (const inv of scaleInvestigations()) {
        const subject = inv.name === 'access-key' ? 'AKIAXXXXXXXXXXXXXXXX' : inv.name === 'instance' ? 'i-1234567890abcdef0' : inv.name === 'security-group' ? 'sg-0123456789abcdef0' : undefined;
        for (const n of calledNames(investigationSql(scalePlan(inv.name, subject, target, 't'), target, 't'))) names.add(n);
      }
    }
    expect([...names].filter((n) => !TRINO_FUNCTIONS.has(n))).toEqual([]);
    expect(names.has('json_extract_scalar')).toBe(true);
  });

  it('most shipped rules translate; each one that does not says why', () => {
    for (const target of SQL_TARGETS) {
      const t = rules.map((r) => translateRule(r, target));
      expect(t.filter((x) => x.translated).length).toBeGreaterThan(rules.length * 0.7);
      for (const x of t) if (!x.translated) expect(x.reasons.length, x.ruleId).toBeGreaterThan(0);
    }
  });

  it('escapes LIKE wildcards and quotes of the rule text', () => {
    expect(likePattern(['50%_off\\', { any: 'many' }, 'x', { any: 'one' }], false)).toBe('50\\%\\_off\\\\%x_');
    const test = (detection: unknown) => compileSigmaDetection(detection).predicate as FieldTest;
    const r = renderFieldTest('cloudtrail', test({ sel: { 'eventName|startswith': "O'Brien%" }, condition: 'sel' }));
    expect(r).toEqual({ sql: "COALESCE(lower(e.eventname) LIKE 'o''brien\\%%' ESCAPE '\\', FALSE)" });
  });

  it('renders |neq as true where the field is missing, CloudWatch != as false there', () => {
    const sigma = compileSigmaDetection({ sel: { 'errorCode|neq': 'AccessDenied' }, condition: 'sel' }).predicate as FieldTest;
    expect(renderFieldTest('cloudtrail', sigma)).toEqual({ sql: "(NOT COALESCE(lower(e.errorcode) = 'accessdenied', FALSE))" });
  });

  it('keeps out what could differ between engines: lookarounds, back-references, arrays, quoted keys', () => {
    expect(regexDifference('^(?=.*a)')).toMatch(/lookaround/);
    expect(regexDifference('(a)\\1')).toMatch(/back-reference/);
    expect(regexDifference('^arn:aws:iam::\\d{12}:root$')).toBeNull();
    const on = (field: string) => renderFieldTest('parquet', compileSigmaDetection({ sel: { [field]: 'x' }, condition: 'sel' }).predicate as FieldTest);
    expect(on('requestParameters.ipPermissions.items.ipRanges')).toHaveProperty('reason');
    expect(on('requestParameters.x-amz-acl')).toHaveProperty('reason');
    expect(on('requestParameters.bucketName')).toEqual({ sql: "COALESCE(lower(json_extract_scalar(e.record, '$.requestParameters.bucketName')) = 'x', FALSE)" });
  });

  it('reads a typed Parquet column unless the row is odd or the test tells "" from missing', () => {
    const p = (detection: unknown) => renderFieldTest('parquet', compileSigmaDetection(detection).predicate as FieldTest);
    expect(p({ sel: { eventName: 'StopLogging' }, condition: 'sel' })).toEqual({
      sql: "(CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'stoplogging', FALSE) ELSE COALESCE(lower(e.event_name) = 'stoplogging', FALSE) END)",
    });
    expect(p({ sel: { errorCode: null }, condition: 'sel' })).toEqual({ sql: "(json_extract_scalar(e.record, '$.errorCode') IS NULL)" });
  });

  it('renders CIDR ranges with Trino IP functions', () => {
    const t = compileSigmaDetection({ sel: { 'sourceIPAddress|cidr': ['10.0.0.0/8', '2001:db8::/32'] }, condition: 'sel' }).predicate as FieldTest;
    expect(renderFieldTest('cloudtrail', t)).toEqual({
      sql: "COALESCE((contains('10.0.0.0/8', TRY_CAST(e.sourceipaddress AS IPADDRESS)) OR contains('2001:db8::/32', TRY_CAST(e.sourceipaddress AS IPADDRESS))), FALSE)",
    });
  });
});
