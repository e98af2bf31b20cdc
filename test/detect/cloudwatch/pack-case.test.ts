// The CIS pack run by the engine over a real case: every example event of rules/cis (plus records whose fields are
// JSON null or empty, where a column cannot tell missing from null) is ingested, `detect` runs the pack through the
// SQL prefilter, and each rule must match exactly the events the CloudWatch semantics match. This holds the
// column answers (`scalar`) of the CloudWatch field tests to the record answers.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseFilterPattern } from '../../../src/detect/cloudwatch/compile.js';
import { loadRules } from '../../../src/detect/load.js';
import { evaluate } from '../../../src/detect/predicate.js';
import type { EventRule } from '../../../src/detect/rule.js';
import { runDetect } from '../../../src/detect/run.js';
import { matchedEvents } from '../../../src/index/detections.js';
import { openCase, type Db } from '../../../src/index/open.js';
import { runIngest } from '../../../src/ingest/run.js';
import { writeLog } from '../../helpers/evidence.js';
import { repoRoot, tmpDir } from '../../helpers/paths.js';

const packDir = path.join(repoRoot, 'rules', 'cis');
const rules = loadRules([packDir], {
  compilers: {
    cloudwatch: parseFilterPattern,
    sigma: () => {
      throw new Error('rules/cis holds no Sigma rules');
    },
  },
}).rules as EventRule[];

/** The examples as written (the raw YAML keeps CloudTrail's string ids as strings), each with its own eventID. */
function packRecords(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const file of fs.readdirSync(packDir).filter((f) => f.endsWith('.yml')).sort()) {
    const doc = YAML.parse(fs.readFileSync(path.join(packDir, file), 'utf8')) as { tests: Array<{ event: Record<string, unknown> }> };
    for (const t of doc.tests) out.push({ ...t.event });
  }
  return out;
}

const root = {
  eventVersion: '1.09',
  userIdentity: { type: 'Root', principalId: '123456789012', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012', accessKeyId: 'ASIAEXAMPLEROOT00001' },
  eventTime: '2026-03-05T10:00:00Z',
  eventSource: 'iam.amazonaws.com',
  eventName: 'ListUsers',
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.7',
  userAgent: 'aws-cli/2.15.30',
  requestParameters: null,
  responseElements: null,
  readOnly: true,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '123456789012',
};
/** Fields a column stores as NULL although the record has them (JSON null, or ""). */
const EDGE_RECORDS: Array<Record<string, unknown>> = [
  // invokedBy present but null: 5.3's NOT EXISTS is false, though the column is NULL as for a missing field.
  { ...root, userIdentity: { ...root.userIdentity, invokedBy: null } },
  // invokedBy "" is present too.
  { ...root, userIdentity: { ...root.userIdentity, invokedBy: '' } },
  // eventType null: 5.3's != "AwsServiceEvent" is true on JSON null (false on a missing field).
  { ...root, eventType: null },
  // No eventType at all: false.
  Object.fromEntries(Object.entries(root).filter(([k]) => k !== 'eventType')),
  // AccessDenied with a null sourceIPAddress: 5.1's != is true on null.
  { ...root, userIdentity: { ...root.userIdentity, type: 'IAMUser' }, errorCode: 'AccessDenied', errorMessage: 'denied', sourceIPAddress: null },
  // An empty errorCode matches neither *UnauthorizedOperation nor AccessDenied*.
  { ...root, userIdentity: { ...root.userIdentity, type: 'IAMUser' }, errorCode: '' },
  // AccessDenied with no sourceIPAddress at all: 5.1's != is false on a missing field (Security Hub's form has no such test).
  Object.fromEntries(
    Object.entries({ ...root, userIdentity: { ...root.userIdentity, type: 'IAMUser' }, errorCode: 'AccessDenied', errorMessage: 'denied' }).filter(([k]) => k !== 'sourceIPAddress'),
  ),
];

let dir: string;
let db: Db;
const records: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  dir = tmpDir('trailhound-cis-');
  const all = [...packRecords(), ...EDGE_RECORDS];
  all.forEach((r, i) => records.push({ ...r, eventID: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}` }));
  writeLog(path.join(dir, 'evidence'), records, { account: '123456789012' });
  const dbPath = path.join(dir, 'case.db');
  const summary = await runIngest({ dbPath, paths: [path.join(dir, 'evidence')], workers: 0 });
  expect(summary.eventsAdded).toBe(records.length);
  db = openCase(dbPath);
});

afterAll(() => {
  db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('rules/cis over a case (detect with the SQL prefilter)', () => {
  it('each rule matches exactly the events CloudWatch semantics match', () => {
    runDetect(db, rules, { toolVersion: 'test' });
    for (const rule of rules) {
      const want = records.filter((r) => evaluate(rule.predicate, r)).map((r) => r.eventID as string);
      const got = matchedEvents(db, rule.meta.id).map((e) => e.eventId);
      expect(got.sort(), rule.meta.id).toEqual(want.sort());
      expect(want.length, rule.meta.id).toBeGreaterThan(0);
    }
  });

  it('the null and empty fields are decided as CloudWatch decides them', () => {
    const ids = (ruleId: string) => new Set(matchedEvents(db, ruleId).map((e) => e.eventId));
    const edge = (i: number) => records[records.length - EDGE_RECORDS.length + i].eventID as string;
    const root53 = ids('cis-aws-7.0-5.3');
    expect([0, 1, 2, 3].map((i) => root53.has(edge(i)))).toEqual([false, false, true, false]);
    const unauthorized = ids('cis-aws-7.0-5.1');
    expect([4, 5, 6].map((i) => unauthorized.has(edge(i)))).toEqual([true, false, false]);
    expect(ids('securityhub-cloudwatch-2').has(edge(6))).toBe(true);
  });
});
