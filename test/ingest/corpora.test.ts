// Every event in the real corpora ingests. Expected counts are computed here independently of the
// ingester (plain JSON.parse / line splitting), per corpus.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runIngest } from '../../src/ingest/run.js';
import { corporaDir, hasCorpora, tmpDir } from '../helpers/paths.js';

const d = describe.skipIf(!hasCorpora);

function occurrencesPerFile(db: string): Map<string, number> {
  const conn = new Database(db, { readonly: true });
  const rows = conn.prepare('SELECT s.path, count(o.event_id) n FROM sources s LEFT JOIN occurrences o ON o.source_id = s.id GROUP BY s.id').all() as Array<{ path: string; n: number }>;
  conn.close();
  return new Map(rows.map((r) => [r.path, r.n]));
}

function isEvent(o: unknown): boolean {
  return !!o && typeof o === 'object' && ['eventVersion', 'eventTime', 'eventName', 'eventSource', 'eventID', 'userIdentity', 'awsRegion', 'eventType'].filter((k) => k in (o as object)).length >= 2;
}

d('real corpora', () => {
  it('elastic: every NDJSON line that is an event ingests', async () => {
    const root = path.join(corporaDir, 'elastic-aws-cloudtrail');
    const db = path.join(tmpDir(), 'case.db');
    const s = await runIngest({ dbPath: db, paths: [root], workers: 2 });
    const got = occurrencesPerFile(db);
    let expectedTotal = 0;
    for (const rel of fs.readdirSync(root, { recursive: true }) as string[]) {
      if (!rel.endsWith('.log')) continue;
      const lines = fs.readFileSync(path.join(root, rel), 'utf8').split('\n').filter((l) => l.trim() !== '');
      const events = lines.map((l) => JSON.parse(l)).filter(isEvent).length;
      expectedTotal += events;
      expect(got.get(rel.split(path.sep).join('/')), rel).toBe(events);
    }
    expect(expectedTotal).toBeGreaterThan(100);
    expect(s.recordsSkipped).toBe(0);
  });

  it('awsdocs: records, single events, insights and lookup pages ingest; digests are recorded', async () => {
    const root = path.join(corporaDir, 'awsdocs-cloudtrail-examples');
    const index = JSON.parse(fs.readFileSync(path.join(root, 'index.json'), 'utf8')) as Array<{ file: string; kind: string }>;
    const db = path.join(tmpDir(), 'case.db');
    const s = await runIngest({ dbPath: db, paths: [path.join(root, 'examples')], workers: 0 });
    const got = occurrencesPerFile(db);
    for (const entry of index) {
      const doc = JSON.parse(fs.readFileSync(path.join(root, entry.file), 'utf8'));
      const expected = Array.isArray(doc.Records) ? doc.Records.length : Array.isArray(doc.Events) ? doc.Events.length : isEvent(doc) ? 1 : 0;
      expect(got.get(path.basename(entry.file)), entry.file).toBe(expected);
    }
    expect(s.files.byKind['cloudtrail-digest']).toBe(2);
    expect(s.recordsSkipped).toBe(0);
  });

  it('awscli: lookup-events output ingests through its CloudTrailEvent strings', async () => {
    const file = path.join(corporaDir, 'awscli-cloudtrail-examples', 'lookup-events.output.json');
    const db = path.join(tmpDir(), 'case.db');
    const s = await runIngest({ dbPath: db, paths: [file], workers: 0 });
    expect(s.files.byKind).toEqual({ 'lookup-events': 1 });
    const conn = new Database(db, { readonly: true });
    const row = conn.prepare("SELECT event_name, username, event_time_ms AS event_time FROM events_v").get();
    conn.close();
    expect(row).toEqual({ event_name: 'ConsoleLogin', username: 'my-session-name', event_time: Date.parse('2016-01-26T21:42:12Z') });
  });

  it('panther: all 537 rule-test events and both scenarios ingest (odd shapes, missing ids and times)', async () => {
    const root = path.join(corporaDir, 'panther-aws-cloudtrail-tests');
    const dir = tmpDir();
    // Only the tests whose declared log type is CloudTrail (standard rules also test Okta, GitHub... logs).
    const logs: Array<Record<string, unknown>> = [];
    for (const f of fs.readdirSync(path.join(root, 'rules'))) {
      const rule = JSON.parse(fs.readFileSync(path.join(root, 'rules', f), 'utf8')) as { log_types: string[]; tests?: Array<{ log: Record<string, unknown>; log_type?: string }> };
      for (const t of rule.tests ?? []) if ((t.log_type ?? t.log.p_log_type ?? rule.log_types[0]) === 'AWS.CloudTrail') logs.push(t.log);
    }
    fs.writeFileSync(path.join(dir, 'panther-tests.ndjson'), logs.map((l) => JSON.stringify(l)).join('\n'));
    const db = path.join(dir, 'case.db');
    const s = await runIngest({ dbPath: db, paths: [path.join(dir, 'panther-tests.ndjson'), path.join(root, 'test_scenarios')], workers: 0 });
    const got = occurrencesPerFile(db);
    // An event needs at least one CloudTrail field; enrichment-only stubs ({p_any_ip_addresses, p_log_type}) have none.
    const core = ['eventversion', 'eventtime', 'eventname', 'eventsource', 'eventid', 'useridentity', 'awsregion', 'eventtype'];
    const expectedRuleEvents = logs.filter((l) => Object.keys(l).some((k) => core.includes(k.toLowerCase()))).length;
    expect(expectedRuleEvents).toBeGreaterThan(470);
    expect(got.get('panther-tests.ndjson')).toBe(expectedRuleEvents);
    for (const rel of ['compromised-root-creds/victim_cloudtrail.records.json', 'compromised-root-creds/attacker_cloudtrail.records.json', 'enrichment-example/victim_cloudtrail.records.json', 'enrichment-example/attacker_cloudtrail.records.json']) {
      const n = JSON.parse(fs.readFileSync(path.join(root, 'test_scenarios', rel), 'utf8')).Records.length;
      expect(got.get(rel), rel).toBe(n);
    }
    expect(s.recordsSkipped).toBe(logs.length - expectedRuleEvents);
  });

  it('otrf: the honey-bucket CSV maps its columns; rows are partial events', async () => {
    const file = path.join(corporaDir, 'otrf-aws-honeybucket', 'AWS_S3_HoneyBucketLogs.csv');
    const db = path.join(tmpDir(), 'case.db');
    const s = await runIngest({ dbPath: db, paths: [file], workers: 0 });
    expect(s.files.byKind).toEqual({ 'console-csv': 1 });
    expect(s.records).toBe(301);
    const conn = new Database(db, { readonly: true });
    const n = conn.prepare('SELECT count(*) FROM occurrences').pluck().get();
    const partial = conn.prepare('SELECT count(*) FROM events WHERE flags & 1').pluck().get();
    const sample = conn.prepare("SELECT event_name, account_id, source_ip FROM events_v WHERE event_name = 'ListObjects' LIMIT 1").get() as Record<string, string>;
    conn.close();
    expect(n).toBe(301);
    expect(partial).toBe(s.eventsAdded);
    expect(typeof sample.account_id).toBe('string');
    expect(sample.source_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });
});
