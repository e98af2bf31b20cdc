// The SQL compiler's strongest check: for every rule, deciding matches in SQL over the indexed columns (strategy
// 'sql', what detect does) gives exactly the events that evaluating every record does (strategy 'scan', the
// reference semantics). On the committed sample with every shipped rule, and on hand-made cases built to hit the
// places where a column cannot tell values apart: missing vs JSON null vs "" fields, NOT over undecided tests,
// tests whose per-value answer is "ask the record", CloudWatch `!=` on a missing vs null field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCase } from '../../helpers/cases.js';
import { openCase, type Db } from '../../../src/index/open.js';
import { loadRuleSet } from '../../../src/detect/rule-set.js';
import type { EventRule, Rule } from '../../../src/detect/rule.js';
import type { FieldTest, Predicate } from '../../../src/detect/predicate.js';
import type { RuleMeta } from '../../../src/model/detection.js';
import { at, cloudwatchRule, detect, event, findings, load, makeCase, matchesByRule, ruleFolder, sigmaRule, type TestCase } from './engine-case.js';

const ACCT_ROOT = '123456789012';

/** Matches per rule under each strategy (both full runs over the same case). */
function bothWays(db: Db, rules: readonly Rule[]): { sql: Record<string, string[]>; scan: Record<string, string[]> } {
  detect(db, rules, { full: true, strategy: 'sql' });
  const sql = matchesByRule(db);
  detect(db, rules, { full: true, strategy: 'scan' });
  const scan = matchesByRule(db);
  return { sql, scan };
}

describe.each(['sample', 'sampleWithExports'] as const)('sql and scan agree on the committed %s, for every shipped rule', (name) => {
  let db: Db;
  let rules: Rule[];
  beforeAll(() => {
    // sampleWithExports adds console CSV rows (partial events: columns and record both from the CSV).
    db = openCase(copyCase(name));
    // The placeholder rule loads only with its values; supply some so that it is compared too.
    const set = loadRuleSet({ placeholders: new Map([
      ['Legitimate_Countries', ['DE', 'US']],
      ['Legitimate_IP_Ranges', ['203.0.113.0/24']],
    ]) });
    expect(set.skipped).toEqual([]);
    rules = set.rules;
  });
  afterAll(() => db?.close());

  it('matches the same events per rule, and the same findings', () => {
    detect(db, rules, { full: true, strategy: 'sql' });
    const sql = matchesByRule(db);
    const sqlFindings = findings(db);
    detect(db, rules, { full: true, strategy: 'scan' });
    const scan = matchesByRule(db);
    expect(Object.keys(sql).length).toBeGreaterThan(10); // the comparison is not vacuous
    expect(scan).toEqual(sql);
    expect(findings(db)).toEqual(sqlFindings);
  });

  it('the SQL strategy reads far fewer records than the scan', () => {
    const sql = detect(db, rules, { full: true, strategy: 'sql' });
    const scan = detect(db, rules, { full: true, strategy: 'scan' });
    expect(scan.recordsRead).toBe(scan.events);
    expect(sql.recordsRead).toBeLessThan(scan.recordsRead / 2);
  });
});

function meta(id: string): RuleMeta {
  return { id, name: null, title: id, description: null, level: 'medium', status: null, author: null, tags: [], references: [], falsepositives: [], pack: 'test', dialect: 'sigma', location: { path: 'x.yml', line: 1 }, fields: [] };
}

function eventRule(id: string, predicate: Predicate): EventRule {
  return { kind: 'event', meta: meta(id), predicate, examples: [], warnings: [], hash: id, generate: true };
}

/**
 * A hand-made test on eventName: true for names of even length; its column answer is "ask the record" for names
 * starting with Describe, and the right answer for the others.
 */
const evenName: FieldTest = {
  kind: 'field',
  field: 'eventName',
  describe: 'eventName has even length',
  test: (r) => typeof r.eventName === 'string' && r.eventName.length % 2 === 0,
  scalar: (v) => (typeof v === 'string' && v.startsWith('Describe') ? undefined : typeof v === 'string' && v.length % 2 === 0),
};

describe('sql and scan agree on hand-made rules over awkward values', () => {
  let c: TestCase;
  let db: Db;
  const records = [
    event({ eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com' }),
    event({ eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', errorCode: 'AccessDenied', errorMessage: 'no' }),
    event({ eventName: 'DescribeInstances' }), // even length, "ask the record"
    event({ eventName: 'DescribeVolumes' }), // odd length, "ask the record"
    event({ eventName: 'GetObject', eventSource: 's3.amazonaws.com', readOnly: true }),
    event({ eventName: 'PutBucketPolicy', eventSource: 's3.amazonaws.com', errorCode: null }),
    event({ eventName: 'PutBucketAcl', eventSource: 's3.amazonaws.com', errorCode: '' }),
    event({ eventName: 'DeleteTrail', eventSource: 'cloudtrail.amazonaws.com', errorCode: 'TrailNotFoundException' }),
    event({ eventName: '', eventSource: 'cloudtrail.amazonaws.com' }),
    event({ eventName: null, eventSource: 'cloudtrail.amazonaws.com' }),
    event({ eventName: undefined, eventSource: 'cloudtrail.amazonaws.com' }),
    event({ userIdentity: { type: 'Root', principalId: ACCT_ROOT, arn: `arn:aws:iam::${ACCT_ROOT}:root`, accountId: ACCT_ROOT }, eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', additionalEventData: { MFAUsed: 'No' } }),
    event({ userIdentity: { type: 'Root', invokedBy: 'support.amazonaws.com' }, eventName: 'GetAccountSummary', eventSource: 'iam.amazonaws.com' }),
    event({ userIdentity: null, eventName: 'AssumeRoleWithSAML', eventSource: 'sts.amazonaws.com', userAgent: '' }),
    event({ userIdentity: undefined, eventName: 'AssumeRoleWithWebIdentity', eventSource: 'sts.amazonaws.com', userAgent: undefined }),
    event({ eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', additionalEventData: { MFAUsed: null }, userAgent: null }),
    event({ eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', additionalEventData: { MFAUsed: 'Yes' } }),
    event({ eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', additionalEventData: {} }),
    event({ eventName: 'stoplogging', eventSource: 'CloudTrail.amazonaws.com', eventTime: at(60) }),
  ];

  const sigma = {
    'name.yml': sigmaRule('s-name', '  sel:\n    eventName: StopLogging\n  condition: sel'),
    'not-null.yml': sigmaRule('s-not-null', '  sel:\n    eventSource: cloudtrail.amazonaws.com\n  filter:\n    errorCode: null\n  condition: sel and not filter'),
    'nested.yml': sigmaRule(
      's-nested',
      "  a:\n    eventName|startswith: 'Put'\n  b:\n    eventName|contains: 'Log'\n  c:\n    errorCode: ''\n  d:\n    eventSource|endswith: '.amazonaws.com'\n  condition: (a or b) and not (c and d)",
    ),
    'empty.yml': sigmaRule('s-empty', "  sel:\n    eventName: ''\n  condition: sel"),
    'star.yml': sigmaRule('s-star', "  sel:\n    eventName: '*'\n  condition: not sel"),
    'exists.yml': sigmaRule('s-exists', '  sel:\n    eventName|exists: false\n  ua:\n    userAgent|exists: true\n  condition: sel or not ua'),
    'type.yml': sigmaRule('s-type', '  sel:\n    userIdentity.type: Root\n  inv:\n    userIdentity.invokedBy: null\n  condition: sel and inv'),
    'nots.yml': sigmaRule('s-nots', "  a:\n    eventName|re: '^(Stop|Delete)'\n  b:\n    errorCode|exists: true\n  condition: not (not a or b)"),
    'mfa.yml': sigmaRule('s-mfa', "  sel:\n    eventName: ConsoleLogin\n  mfa:\n    additionalEventData.MFAUsed: 'Yes'\n  condition: sel and not mfa"),
  };
  const cloudwatch = {
    'cw-neq.yml': cloudwatchRule('cw-neq', '{ $.errorCode != "AccessDenied" }'),
    'cw-neq-ua.yml': cloudwatchRule('cw-neq-ua', '{ $.userAgent != "aws-cli*" }'),
    'cw-not-exists.yml': cloudwatchRule('cw-not-exists', '{ $.eventName NOT EXISTS }'),
    'cw-is-null.yml': cloudwatchRule('cw-is-null', '{ $.eventName IS NULL }'),
    'cw-mix.yml': cloudwatchRule('cw-mix', '{ ($.eventName = "Stop*") || ($.userIdentity.type = "Root") && ($.errorCode != "x") }'),
    'cw-root.yml': cloudwatchRule('cw-root', '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'),
    'cw-mfa.yml': cloudwatchRule('cw-mfa', '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'),
  };
  let rules: Rule[];

  beforeAll(async () => {
    c = await makeCase(records);
    db = c.open();
    const loaded = load(ruleFolder({ ...sigma, ...cloudwatch }));
    expect(loaded.skipped).toEqual([]);
    rules = [
      ...loaded.rules,
      eventRule('h-even', evenName),
      eventRule('h-not-even', { kind: 'not', item: evenName }),
      eventRule('h-nested', { kind: 'or', items: [{ kind: 'and', items: [evenName, { kind: 'not', item: { kind: 'const', value: false } }] }, { kind: 'and', items: [] }] }),
      eventRule('h-and-not', { kind: 'and', items: [{ kind: 'not', item: evenName }, rules0('s-name', loaded.rules)] }),
    ];
  });
  afterAll(() => {
    db?.close();
    c?.remove();
  });

  it('every rule matches the same events both ways', () => {
    const { sql, scan } = bothWays(db, rules);
    expect(sql).toEqual(scan);
  });

  it('the results are the reference semantics (spot checks)', () => {
    const { scan } = bothWays(db, rules);
    const ids = (i: number[]) => i.map((k) => records[k].eventID as string).sort();
    expect(scan['s-name']).toEqual(ids([0, 1, 18])); // Sigma is case-insensitive by default
    // CloudWatch `!=` is true on a JSON null (MFAUsed: null) and false on a missing field (additionalEventData: {}).
    expect(scan['cw-mfa']).toEqual(ids([11, 15]));
    expect(scan['cw-not-exists']).toEqual(ids([10]));
    expect(scan['cw-is-null']).toEqual(ids([9]));
    expect(scan['h-even']).toEqual(ids(records.flatMap((r, i) => (typeof r.eventName === 'string' && r.eventName.length % 2 === 0 ? [i] : []))));
  });

  it('an incremental SQL run agrees with the scan too (tests decided on the new rows only)', async () => {
    detect(db, rules, { full: true });
    await c.add(records.map((r) => ({ ...r, eventID: `${r.eventID as string}-2`, requestID: `${r.requestID as string}-2`, eventTime: at(3600) })));
    detect(db, rules);
    const incremental = matchesByRule(db);
    detect(db, rules, { full: true, strategy: 'scan' });
    expect(incremental).toEqual(matchesByRule(db));
  });
});


function rules0(id: string, rules: readonly Rule[]): Predicate {
  const r = rules.find((x) => x.meta.id === id);
  if (!r || r.kind !== 'event') throw new Error(`no event rule ${id}`);
  return r.predicate;
}

describe('sql and scan on values the columns flatten (hostile records)', () => {
  let c: TestCase;
  let db: Db;
  const records = [
    event({ eventName: ['StopLogging'], eventSource: 'cloudtrail.amazonaws.com' }),
    event({ eventName: { name: 'StopLogging' }, eventSource: 'cloudtrail.amazonaws.com' }),
    event({ eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com' }),
    // A literal dotted key beside the nested one: Sigma reads the literal key first (resolve.ts fieldReader).
    event({ 'userIdentity.type': 'Root', eventName: 'ListBuckets' }),
    // A JSON boolean where CloudTrail writes a string: its column holds the text "true".
    event({ eventName: true }),
  ];
  let rules: Rule[];
  beforeAll(async () => {
    c = await makeCase(records);
    db = c.open();
    rules = load(
      ruleFolder({
        'name.yml': sigmaRule('s-name', '  sel:\n    eventName: StopLogging\n  condition: sel'),
        'root.yml': sigmaRule('s-root', '  sel:\n    userIdentity.type: Root\n  condition: sel'),
        'is-true.yml': cloudwatchRule('cw-is-true', '{ $.eventName IS TRUE }'),
      }),
    ).rules;
  });
  afterAll(() => {
    db?.close();
    c?.remove();
  });

  // Regression test (a bug found in review, now fixed): src/detect/case-dialect.ts fieldTest decides a NULL column by scalar(null)/scalar(''), but the extractor
  // (src/sources/extract.ts str()) also stores NULL for an array or object value, which Sigma matches element-wise
  // (src/detect/sigma/resolve.ts offer()). So `eventName: StopLogging` matches ["StopLogging"] in the scan and not in
  // SQL. Fix: a NULL column is only "decided" when the record cannot hold an array/object there — e.g. make
  // Sigma's scalar(null) return undefined unless the test is false on every non-scalar too, or have CaseDialect
  // treat NULL as undecided (upper includes `col IS NULL`) for Sigma tests that are true on some candidate.
  it('an array-valued eventName matches the same way in SQL as in the record', () => {
    const { sql, scan } = bothWays(db, rules);
    expect(scan['s-name']).toHaveLength(3);
    expect(sql['s-name']).toEqual(scan['s-name']);
  });

  // Regression test (a bug found in review, now fixed): the same place: for a dotted field (userIdentity.type) Sigma first reads a literal top-level key
  // "userIdentity.type" (resolve.ts fieldReader), while the column holds userIdentity → type. A record carrying both
  // matches in the scan and not in SQL. Fix: at ingest, flag records with a top-level key containing a dot (rare) and
  // let CaseDialect leave flagged rows to the record (upper includes them), or drop the literal-key lookup for
  // fields that map to columns.
  it('a literal dotted key is read the same way in SQL as in the record', () => {
    const { sql, scan } = bothWays(db, rules);
    expect(scan['s-root']).toHaveLength(1);
    expect(sql['s-root']).toEqual(scan['s-root']);
  });

  // Regression test (a bug found in review, now fixed): src/detect/cloudwatch/compile.ts compileIs gives `IS TRUE` the scalar `v === want`, but the case dialect
  // only hands it column text: a JSON true in a string column is stored as "true" (extract.ts str()), so the SQL says
  // no where the record says yes. Fix: scalar (v) => v === String(want) ? undefined : false (the text "true" may be
  // the boolean or the string; the record decides), or no scalar.
  it('CloudWatch IS TRUE on a JSON boolean in a string column', () => {
    const { sql, scan } = bothWays(db, rules);
    expect(scan['cw-is-true']).toHaveLength(1);
    expect(sql['cw-is-true']).toEqual(scan['cw-is-true']);
  });
});

describe('sql and scan with more distinct values than fit inline (a TEMP id set)', () => {
  it('a wildcard test true for 600 distinct user agents, and its negation, match the same events both ways', async () => {
    const records = Array.from({ length: 700 }, (_, i) => event({ userAgent: i < 600 ? `agent-${i}` : `other-${i}`, eventTime: at(i) }));
    const c = await makeCase(records);
    const db = c.open();
    try {
      const rules = load(
        ruleFolder({
          'ua.yml': sigmaRule('s-ua', "  sel:\n    userAgent|startswith: 'agent-'\n  condition: sel"),
          'not-ua.yml': sigmaRule('s-not-ua', "  sel:\n    userAgent|startswith: 'agent-'\n  other:\n    userAgent|endswith: '7'\n  condition: not sel and not other"),
        }),
      ).rules;
      const { sql, scan } = bothWays(db, rules);
      expect(sql['s-ua']).toHaveLength(600);
      expect(sql['s-not-ua']).toHaveLength(90);
      expect(sql).toEqual(scan);
      // The temporary id sets are dropped after the run.
      expect(db.prepare("SELECT count(*) FROM temp.sqlite_master WHERE name LIKE 'th_set_%'").pluck().get()).toBe(0);
    } finally {
      db.close();
      c.remove();
    }
  });
});
