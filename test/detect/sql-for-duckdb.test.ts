// The generated Trino SQL finds what trailhound's own engine finds. No cluster is reachable here, so DuckDB stands in
// (test/helpers/duckdb-trino.ts: a two-macro shim for the Trino names it lacks) over the AWS-documented CloudTrail
// table built from the very log files the case was ingested from. Evidence: every shipped rule's own examples (each
// translated rule meets records it must match and records it must not), plus the bundled sample's trails.
// Requirement (issue 16): for every rule that translates, the same matched events and the same findings per actor.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../src/detect/rule-set.js';
import { detectionScript } from '../../src/detect/sql-for.js';
import { runCli } from '../helpers/cli.js';
import { tmpDir } from '../helpers/paths.js';
import type { DetectFinding } from '../../bench/duckdb-trino.js';
import { exampleRecords, writeRuleEvidence } from '../helpers/rule-examples.js';
import { cloudTrailTableSql, duckdb, rows } from '../helpers/duckdb-trino.js';
import type { DuckDBConnection } from '@duckdb/node-api';


const { rules } = loadRuleSet();

const key = (rule: string, actor: string) => `${rule}\u0000${actor}`;

/** A time as the AWS table holds it (the record's text) or as trailhound prints it, as epoch ms. */
const instant = (t: unknown) => (t === null ? null : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(String(t)) ? String(t) : `${String(t).replace(' ', 'T')}Z`));

describe('sql-for on DuckDB: the AWS CloudTrail table', () => {
  let dir: string;
  let db: DuckDBConnection;
  let close: () => void;
  let local: DetectFinding[];

  beforeAll(async () => {
    dir = tmpDir('trailhound-sqlfor-');
    const evidence = path.join(dir, 'evidence');
    const logs = writeRuleEvidence(evidence, rules);
    const caseDb = path.join(dir, 'case.db');
    const ingest = runCli(['ingest', evidence, '--db', caseDb, '--quiet']);
    expect([0, 4]).toContain(ingest.code);
    const detect = runCli(['detect', '--db', caseDb, '--format', 'json']);
    expect(detect.code, detect.stderr).toBe(0);
    local = (JSON.parse(detect.stdout) as { findings: DetectFinding[] }).findings;
    ({ c: db, close } = await duckdb());
    await db.run(cloudTrailTableSql(logs));
  }, 240_000);

  afterAll(() => close?.());

  it('builds the table from every log record (the evidence is what the case holds)', async () => {
    const [{ n }] = await rows(db, 'SELECT count(DISTINCT eventid) AS n FROM cloudtrail_logs');
    expect(Number(n)).toBeGreaterThan(exampleRecords(rules).length);
  });

  it('every translated rule matches the same events as trailhound detect', async () => {
    const script = detectionScript(rules, { target: 'cloudtrail', table: 'cloudtrail_logs', output: 'events', engine: 'trino', toolVersion: 'test' });
    const translated = new Set(script.translations.filter((t) => t.translated).map((t) => t.ruleId));
    expect(translated.size).toBeGreaterThan(100);
    // A record without an eventID (the sample has some) has none in the table; trailhound derives one. Such events
    // are compared by count.
    const tableIds = new Set((await rows(db, 'SELECT DISTINCT eventid FROM cloudtrail_logs WHERE eventid IS NOT NULL')).map((r) => String(r.eventid)));
    const got = new Map<string, Set<string>>();
    const add = (m: Map<string, Set<string>>, rule: string, id: string) => {
      if (!m.has(rule)) m.set(rule, new Set());
      m.get(rule)!.add(id);
    };
    let noId = 0;
    for (const r of await rows(db, script.sql)) add(got, String(r.rule_id), r.event_id === null ? `(no id) ${String(r.event_time)} ${noId++}` : String(r.event_id));
    const want = new Map<string, Set<string>>();
    for (const f of local) {
      if (!translated.has(f.ruleId)) continue;
      for (const e of f.eventIds) add(want, f.ruleId, tableIds.has(e) ? e : '(no id)');
    }
    const withoutIds = (m: Map<string, Set<string>>, rule: string) => [...(m.get(rule) ?? [])].filter((x) => x.startsWith('(no id)')).length;
    const differ: string[] = [];
    for (const id of translated) {
      const rule = rules.find((r) => r.meta.id === id)!;
      if (rule.kind === 'event' && !rule.generate) continue; // no findings locally to compare with
      const a = [...(want.get(id) ?? [])].filter((x) => x !== '(no id)').sort();
      const b = [...(got.get(id) ?? [])].filter((x) => !x.startsWith('(no id)')).sort();
      if (Math.min(1, withoutIds(want, id)) !== Math.min(1, withoutIds(got, id))) differ.push(`${id}: events without an eventID differ`);
      if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(`${id}: trailhound ${a.length}, SQL ${b.length}; only trailhound: ${a.filter((x) => !b.includes(x)).slice(0, 3).join(' ')}; only SQL: ${b.filter((x) => !a.includes(x)).slice(0, 3).join(' ')}`);
    }
    expect(differ).toEqual([]);
    // The comparison is not vacuous: most translated rules match something in their own examples.
    expect([...want.keys()].length).toBeGreaterThan(translated.size * 0.8);
  });

  it('a time window keeps exactly the matched events inside it', async () => {
    const startMs = Date.parse('2024-02-17T06:00:00Z');
    const endMs = Date.parse('2024-02-17T18:00:00Z');
    const opts = { target: 'cloudtrail', table: 'cloudtrail_logs', output: 'events', engine: 'trino', toolVersion: 'test' } as const;
    const key = (r: Record<string, unknown>) => `${String(r.rule_id)} ${String(r.event_id)} ${String(r.source_file)}`;
    const all = await rows(db, detectionScript(rules, opts).sql);
    const inside = all.filter((r) => { const t = instant(r.event_time); return t !== null && t >= startMs && t <= endMs; }).map(key).sort();
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.length).toBeLessThan(all.length);
    expect((await rows(db, detectionScript(rules, { ...opts, startMs, endMs }).sql)).map(key).sort()).toEqual(inside);
  });

  it('the findings query groups them per actor as trailhound does (counts, first and last time, failures)', async () => {
    const script = detectionScript(rules, { target: 'cloudtrail', table: 'cloudtrail_logs', output: 'findings', engine: 'trino', toolVersion: 'test' });
    const translated = new Set(script.translations.filter((t) => t.translated).map((t) => t.ruleId));
    const got = new Map<string, string>();
    for (const r of await rows(db, script.sql)) {
      got.set(key(String(r.rule_id), String(r.actor)), JSON.stringify([Number(r.event_count), r.first_time, r.last_time, Number(r.failed_count)]));
    }
    const want = new Map<string, string>();
    for (const f of local) {
      if (!translated.has(f.ruleId)) continue;
      const failed = f.outcome === 'failed' ? f.eventCount : f.outcome === 'succeeded' ? 0 : -1;
      want.set(key(f.ruleId, f.group.actor ?? ''), JSON.stringify([f.eventCount, f.firstTime, f.lastTime, failed]));
    }
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [k, v] of want) {
      const [count, first, last, failed] = JSON.parse(v) as [number, string, string, number];
      const [gCount, gFirst, gLast, gFailed] = JSON.parse(got.get(k)!) as [number, string, string, number];
      expect({ k, count: gCount, first: instant(gFirst), last: instant(gLast) }).toEqual({ k, count, first: instant(first), last: instant(last) });
      if (failed >= 0) expect({ k, failed: gFailed }).toEqual({ k, failed });
      else expect(gFailed > 0 && gFailed < gCount, k).toBe(true);
    }
  });
});
