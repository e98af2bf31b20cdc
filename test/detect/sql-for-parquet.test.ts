// The Parquet target end to end, without a cluster: a case is exported with `trailhound export`, DuckDB (with the
// two-macro Trino shim) reads the Parquet, runs the SQL `sql-for --target parquet` generates, and must find what
// `trailhound detect` finds on the same events: the same matched events and findings per actor for every rule that
// translates. Then the way back: the events query's result, written as CSV the way Athena writes results, ingests into
// a fresh case (complete records, not partial) whose detect gives the same findings for those rules.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadRuleSet } from '../../src/detect/rule-set.js';
import { detectionScript } from '../../src/detect/sql-for.js';
import { runCli } from '../helpers/cli.js';
import { tmpDir } from '../helpers/paths.js';
import type { DetectFinding } from '../../bench/duckdb-trino.js';
import { duckdb, rows } from '../helpers/duckdb-trino.js';
import { writeRuleEvidence } from '../helpers/rule-examples.js';


const { rules } = loadRuleSet();

function detect(db: string): DetectFinding[] {
  const r = runCli(['detect', '--db', db, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { findings: DetectFinding[] }).findings;
}

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
    dir = tmpDir('trailhound-sqlfor-parquet-');
    const evidence = path.join(dir, 'evidence');
    writeRuleEvidence(evidence, rules);
    caseDb = path.join(dir, 'case.db');
    expect([0, 4]).toContain(runCli(['ingest', evidence, '--db', caseDb, '--quiet']).code);
    local = detect(caseDb);
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
    expect(byActor(detect(back), translated)).toEqual(byActor(local, translated));
  });
});
