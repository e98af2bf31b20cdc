// The generated Trino SQL finds what trailhound's own engine finds. No cluster is reachable here, so DuckDB stands in
// (bench/duckdb-trino.ts: a two-macro shim for the Trino names it lacks), over both targets built from the very
// evidence a case was ingested from: every shipped rule's own examples (each translated rule meets records it must match
// and records it must not) plus the bundled sample's trails.
//  - the AWS-documented CloudTrail table, built from the log files as Athena's SerDe shows them;
//  - the Parquet a `trailhound export` of the case writes; and the way back from it: the events query's result,
//    written as CSV the way Athena writes results, ingests into a fresh case (complete records) with the same findings.
// Requirement (issue 16): for every rule that translates, the same matched events and the same findings per actor.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadRuleSet } from '../../src/detect/rule-set.js';
import { detectionScript } from '../../src/detect/sql-for.js';
import { runCli, runCliInProcess } from '../helpers/cli.js';
import { tmpDir } from '../helpers/paths.js';
import type { DetectFinding } from '../../bench/duckdb-trino.js';
import { cloudTrailTableSql, duckdb, rows } from '../helpers/duckdb-trino.js';
import { exampleRecords, writeRuleEvidence } from '../helpers/rule-examples.js';

const { rules } = loadRuleSet();

async function detect(db: string): Promise<DetectFinding[]> {
  const r = await runCliInProcess(['detect', '--db', db, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { findings: DetectFinding[] }).findings;
}

/** The rule-examples evidence ingested and detected once for both targets. */
let shared: Promise<{ dir: string; logs: string[]; caseDb: string; local: DetectFinding[] }> | undefined;
function ruleCase(): Promise<{ dir: string; logs: string[]; caseDb: string; local: DetectFinding[] }> {
  shared ??= (async () => {
    const dir = tmpDir('trailhound-sqlfor-');
    const evidence = path.join(dir, 'evidence');
    const logs = writeRuleEvidence(evidence, rules);
    const caseDb = path.join(dir, 'case.db');
    expect([0, 4]).toContain(runCli(['ingest', evidence, '--db', caseDb, '--quiet']).code);
    return { dir, logs, caseDb, local: await detect(caseDb) };
  })();
  return shared;
}

const key = (rule: string, actor: string) => `${rule}\u0000${actor}`;

/** A time as the AWS table holds it (the record's text) or as trailhound prints it, as epoch ms. */
const instant = (t: unknown) => (t === null ? null : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(String(t)) ? String(t) : `${String(t).replace(' ', 'T')}Z`));

describe('sql-for on DuckDB: the AWS CloudTrail table', () => {
  let db: DuckDBConnection;
  let close: () => void;
  let local: DetectFinding[];

  beforeAll(async () => {
    const shared = await ruleCase();
    local = shared.local;
    ({ c: db, close } = await duckdb());
    await db.run(cloudTrailTableSql(shared.logs));
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

/** Findings of the translated event rules, as comparable text per rule and actor. */
function byActor(findings: DetectFinding[], keep: Set<string>): Map<string, string> {
  return new Map(findings.filter((f) => keep.has(f.ruleId)).map((f) => [`${f.ruleId} ${f.group.actor}`, JSON.stringify([f.eventCount, f.firstTime, f.lastTime, f.outcome, [...f.eventIds].sort()])]));
}

const iso = (t: unknown) => (t === null ? null : new Date(t as Date).toISOString().replace('.000Z', 'Z'));

describe('sql-for on DuckDB: the Parquet export', () => {
  let dir: string;
  let caseDb: string;
  let local: DetectFinding[];
  let c: DuckDBConnection;
  let close: () => void;
  const events = detectionScript(rules, { target: 'parquet', table: 'trailhound_events', output: 'events', engine: 'trino', toolVersion: 'test' });
  const findings = detectionScript(rules, { target: 'parquet', table: 'trailhound_events', output: 'findings', engine: 'trino', toolVersion: 'test' });
  const translated = new Set(findings.translations.filter((t) => t.translated).map((t) => t.ruleId));

  beforeAll(async () => {
    const shared = await ruleCase();
    dir = shared.dir;
    caseDb = shared.caseDb;
    local = shared.local;
    const out = path.join(dir, 'parquet');
    const exp = runCli(['export', '--db', caseDb, '--format', 'parquet', '--out', out, '--quiet']);
    expect(exp.code, exp.stderr).toBe(0);
    ({ c, close } = await duckdb());
    await c.run(`CREATE VIEW trailhound_events AS SELECT * FROM read_parquet('${path.join(out, 'events', '**', '*.parquet')}', hive_partitioning = true, hive_types_autocast = false)`);
  }, 240_000);

  afterAll(() => close?.());

  it('every translated rule matches the same events as trailhound detect', async () => {
    expect(translated.size).toBeGreaterThan(100);
    const got = new Map<string, string[]>();
    for (const r of await rows(c, events.sql)) got.set(String(r.rule_id), [...(got.get(String(r.rule_id)) ?? []), String(r.event_id)]);
    const differ: string[] = [];
    let compared = 0;
    for (const id of translated) {
      const want = [...new Set(local.filter((f) => f.ruleId === id).flatMap((f) => f.eventIds))].sort();
      const have = [...new Set(got.get(id) ?? [])].sort();
      if (want.length) compared++;
      if (JSON.stringify(want) !== JSON.stringify(have)) differ.push(`${id}: trailhound ${want.length}, SQL ${have.length}`);
    }
    expect(differ).toEqual([]);
    expect(compared).toBeGreaterThan(translated.size * 0.8);
  });

  it('the findings query groups them per actor as trailhound does', async () => {
    const got = new Map<string, string>();
    for (const r of await rows(c, findings.sql)) {
      const n = Number(r.event_count);
      const failed = Number(r.failed_count);
      got.set(`${String(r.rule_id)} ${String(r.actor)}`, JSON.stringify([n, iso(r.first_time), iso(r.last_time), failed === 0 ? 'succeeded' : failed === n ? 'failed' : 'mixed']));
    }
    const want = new Map([...byActor(local, translated)].map(([k, v]) => [k, JSON.stringify((JSON.parse(v) as unknown[]).slice(0, 4))]));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
  });

  it('a time window keeps exactly the matched events inside it (and the date partitions prune)', async () => {
    const startMs = Date.parse('2024-02-17T06:00:00Z');
    const endMs = Date.parse('2024-02-17T18:00:00Z');
    const windowed = detectionScript(rules, { target: 'parquet', table: 'trailhound_events', output: 'events', engine: 'trino', toolVersion: 'test', startMs, endMs });
    const key = (r: Record<string, unknown>) => `${String(r.rule_id)} ${String(r.event_id)}`;
    const all = await rows(c, events.sql);
    const inside = all.filter((r) => r.event_time !== null && +(r.event_time as Date) >= startMs && +(r.event_time as Date) <= endMs).map(key).sort();
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.length).toBeLessThan(all.length);
    expect((await rows(c, windowed.sql)).map(key).sort()).toEqual(inside);
  });

  it('the events query, written as CSV the way Athena writes results, ingests back into a case with the same findings', async () => {
    const csv = path.join(dir, 'results.csv');
    await c.run(`COPY (${events.sql.replace(/;\s*$/, '')}) TO '${csv}' (FORMAT csv, HEADER)`);
    const back = path.join(dir, 'back.db');
    const ingest = runCli(['ingest', csv, '--db', back, '--format', 'json']);
    expect(ingest.code, ingest.stderr).toBe(0);
    const count = (where: string) => (JSON.parse(runCli(['sql', '--db', back, `SELECT count(*) AS n FROM events_v WHERE ${where}`, '--format', 'json']).stdout) as { rows: Array<{ n: number }> }).rows[0].n;
    expect(count('1')).toBeGreaterThan(0);
    expect(count('is_partial')).toBe(0); // the cloudtrailevent column makes each row a whole event
    expect(byActor(await detect(back), translated)).toEqual(byActor(local, translated));
  });
});
