// Test helper for the rule-engine tests: small cases ingested (through the real ingester) from CloudTrail records a
// test writes, rule folders written from YAML text, and what a detect run left in the case (matches per rule,
// findings) read back as plain data for comparison.
import fs from 'node:fs';
import path from 'node:path';
import { runIngest } from '../../../src/ingest/run.js';
import { openCase, type Db } from '../../../src/index/open.js';
import { idTextSql } from '../../../src/index/ids.js';
import { COMPILERS } from '../../../src/detect/compilers.js';
import { loadRules, type LoadResult } from '../../../src/detect/load.js';
import { runDetect, type DetectOptions, type DetectSummary } from '../../../src/detect/run.js';
import { listFindings } from '../../../src/detect/read.js';
import type { Rule } from '../../../src/detect/rule.js';
import type { Finding } from '../../../src/model/detection.js';
import { tmpDir } from '../../helpers/paths.js';
import { apiCall } from '../../helpers/evidence.js';

export const ACCT = '123456789012';

/** ISO time `sec` seconds after 2025-03-01T00:00:00Z. */
export function at(sec: number): string {
  return new Date(Date.UTC(2025, 2, 1) + sec * 1000).toISOString().replace('.000Z', 'Z');
}

let n = 0;
/** A fresh event ID, unique within the test run. */
export function newId(): string {
  return `0000e7e5-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
}

/** IAM user `name` of the case's account. */
export function user(name: string): Record<string, unknown> {
  return { type: 'IAMUser', principalId: `AIDA${name.toUpperCase()}`, arn: `arn:aws:iam::${ACCT}:user/${name}`, accountId: ACCT, accessKeyId: `AKIA${name.toUpperCase().padEnd(16, '0')}`, userName: name };
}

/** A successful DescribeInstances by alice at `at(0)`, with `over` applied (a key set to undefined is removed). */
export function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  const rec = apiCall({ identity: user('alice'), eventTime: at(0), eventId: newId(), account: ACCT }, over);
  for (const [k, v] of Object.entries(rec)) if (v === undefined) delete rec[k];
  return rec;
}

/** A writable case built from records; `add` ingests more records into it (a later delivery of evidence). */
export interface TestCase {
  dbPath: string;
  dir: string;
  add(records: Record<string, unknown>[]): Promise<void>;
  /** Ingests one file of the given name and text (a console CSV export, say). */
  addFile(name: string, text: string): Promise<void>;
  open(): Db;
  remove(): void;
}

export async function makeCase(records: Record<string, unknown>[]): Promise<TestCase> {
  const dir = tmpDir('trailhound-engine-');
  const dbPath = path.join(dir, 'case.db');
  let batch = 0;
  const addFile = async (name: string, text: string) => {
    const evidence = path.join(dir, `evidence-${++batch}`);
    fs.mkdirSync(evidence);
    fs.writeFileSync(path.join(evidence, name), text);
    await runIngest({ dbPath, paths: [evidence], workers: 0 });
  };
  const add = (recs: Record<string, unknown>[]) => addFile('records.json', JSON.stringify({ Records: recs }));
  if (records.length) await add(records);
  return { dbPath, dir, add, addFile, open: () => openCase(dbPath), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A folder holding rule files: file name → YAML text. */
export function ruleFolder(files: Record<string, string>, name = 'mine'): string {
  const dir = path.join(tmpDir('trailhound-rules-'), name);
  fs.mkdirSync(dir);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

export function load(...roots: string[]): LoadResult {
  return loadRules(roots, { compilers: COMPILERS });
}

/** A Sigma rule document (aws/cloudtrail) with the given detection YAML (indented two spaces under detection:). */
export function sigmaRule(id: string, detection: string, extra = ''): string {
  return `title: Rule ${id}\nid: ${id}\nstatus: test\nlevel: medium\nauthor: Tester\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n${detection}\n${extra}`;
}

/** A CloudWatch filter-pattern rule document. */
export function cloudwatchRule(id: string, pattern: string, extra = ''): string {
  return `title: Rule ${id}\nid: ${id}\nlevel: high\ndialect: cloudwatch-filter\nfilterPattern: '${pattern.replace(/'/g, "''")}'\n${extra}`;
}

export function detect(db: Db, rules: readonly Rule[], opts: Partial<DetectOptions> = {}): DetectSummary {
  return runDetect(db, rules, { toolVersion: 'test', ...opts });
}

/** What each rule matched, as sorted eventIDs (rules with no match are absent). */
export function matchesByRule(db: Db): Record<string, string[]> {
  const rows = db.prepare(`SELECT m.rule_id AS rule, ${idTextSql('e.event_id')} AS id FROM detect_matches m JOIN events e ON e.id = m.event_row`).all() as Array<{ rule: string; id: string }>;
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.rule] ??= []).push(r.id);
  for (const k of Object.keys(out)) out[k].sort();
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** The stored findings (as detect prints them), ordered by rule, then first event. */
export function findings(db: Db): Finding[] {
  return listFindings(db).sort((a, b) => a.ruleId.localeCompare(b.ruleId) || (a.eventIds[0] ?? '').localeCompare(b.eventIds[0] ?? ''));
}
