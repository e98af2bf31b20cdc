// sql-for parity at scale (issue 16 target: "the generated SQL's findings on DuckDB equal the SQLite findings for
// 100 % of the rules that translate"): `trailhound detect` over the bench case (the SQLite engine, real CLI, timed)
// against the findings statement `sql-for trino detect --target parquet` generates, run by DuckDB (with the
// two-macro Trino shim of docs/scale.md) over the case's Parquet export. Compared per rule and actor: event count,
// first and last time, outcome.
//   node dist/bench/sqlfor16-bench.js CASE.db EXPORT_DIR                 (the Parquet target)
//   node dist/bench/sqlfor16-bench.js CASE.db EVIDENCE_DIR --cloudtrail  (the AWS table, built from the log files)
// Results: bench/results/sqlfor-<target>-issue16.json (the export step of npm run bench runs the Parquet one).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadRuleSet } from '../src/detect/rule-set.js';
import { detectionScript } from '../src/detect/sql-for.js';
import { cloudTrailTableSql, TRINO_SHIM, type DetectFinding } from './duckdb-trino.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(path.resolve(here, '..', '..'), 'bin', 'trailhound.js');


/** A DuckDB timestamp (a Date, UTC) or CloudTrail's time text, as trailhound prints times. */
const iso = (t: unknown) => (t === null || t === undefined ? null : (t instanceof Date ? t : new Date(String(t))).toISOString().replace('.000Z', 'Z'));

/** Over the Parquet a `trailhound export` of the case wrote. */
export function runSqlForBench(caseDb: string, exportDir: string): Promise<Record<string, number | string[]>> {
  return parity(caseDb, 'parquet', `CREATE VIEW trailhound_events AS SELECT * FROM read_parquet('${path.join(exportDir, 'events', '**', '*.parquet')}', hive_partitioning = true, hive_types_autocast = false)`);
}

/**
 * Over the AWS-documented CloudTrail table, built by DuckDB from the evidence's log files the way Athena's SerDe shows
 * them (test/helpers/duckdb-trino.ts has the same table for the tests).
 */
export async function runSqlForCloudTrailBench(caseDb: string, evidence: string): Promise<Record<string, number | string[]>> {
  const logs = (fs.readdirSync(evidence, { recursive: true }) as string[]).filter((f) => /(^|\/)CloudTrail\/.*\.json(\.gz)?$/.test(f)).map((f) => path.join(evidence, f));
  return parity(caseDb, 'cloudtrail', cloudTrailTableSql(logs));
}

/**
 * Parity of the findings statement on one target, run by DuckDB over `table` (made by `setup`), with detect's.
 * The CloudTrail target's times are CloudTrail's text; the Parquet target's are timestamps.
 */
async function parity(caseDb: string, target: 'parquet' | 'cloudtrail', setup: string): Promise<Record<string, number | string[]>> {
  const { rules } = loadRuleSet();
  const table = target === 'parquet' ? 'trailhound_events' : 'cloudtrail_logs';
  const script = detectionScript(rules, { target, table, output: 'findings', engine: 'trino', toolVersion: 'bench' });
  const translated = new Set(script.translations.filter((t) => t.translated).map((t) => t.ruleId));

  // detect stores its findings in the case: it runs on a copy, the bench case stays as ingest left it.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-sqlfor-bench-'));
  const copy = path.join(work, 'case.db');
  fs.copyFileSync(caseDb, copy);
  const t0 = process.hrtime.bigint();
  const detect = spawnSync(process.execPath, [bin, 'detect', '--db', copy, '--full', '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const detectSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.rmSync(work, { recursive: true, force: true });
  if (detect.status !== 0) throw new Error(`detect failed: ${detect.stderr}`);
  const local = (JSON.parse(detect.stdout) as { findings: DetectFinding[] }).findings.filter((f) => translated.has(f.ruleId));

  const inst = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const c = await inst.connect();
  for (const s of TRINO_SHIM) await c.run(s);
  const t2 = process.hrtime.bigint();
  await c.run(setup);
  const setupSeconds = Number(process.hrtime.bigint() - t2) / 1e9;
  const t1 = process.hrtime.bigint();
  const got = (await c.runAndReadAll(script.sql)).getRowObjectsJS();
  const duckdbSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  c.closeSync();
  inst.closeSync();

  const key = (rule: string, actor: string) => `${rule} ${actor}`;
  const want = new Map(local.map((f) => [key(f.ruleId, f.group.actor ?? ''), JSON.stringify([f.eventCount, f.firstTime, f.lastTime, f.outcome])]));
  const have = new Map(
    got.map((r) => {
      const n = Number(r.event_count);
      const failed = Number(r.failed_count);
      return [key(String(r.rule_id), String(r.actor)), JSON.stringify([n, iso(r.first_time), iso(r.last_time), failed === 0 ? 'succeeded' : failed === n ? 'failed' : 'mixed'])];
    }),
  );
  const badRules = new Set<string>();
  for (const k of new Set([...want.keys(), ...have.keys()])) if (want.get(k) !== have.get(k)) badRules.add(k.slice(0, k.indexOf(' ')));
  const rulesWithFindings = new Set([...local.map((f) => f.ruleId), ...got.map((r) => String(r.rule_id))]);
  return {
    rulesTranslated: translated.size,
    rulesWithFindings: rulesWithFindings.size,
    rulesEqual: [...translated].filter((r) => !badRules.has(r)).length,
    parityPercent: (100 * [...translated].filter((r) => !badRules.has(r)).length) / translated.size,
    findingsLocal: want.size,
    findingsSql: have.size,
    matchedEventsLocal: local.reduce((n, f) => n + f.eventCount, 0),
    matchedEventsSql: got.reduce((n, r) => n + Number(r.event_count), 0),
    detectSeconds,
    duckdbSetupSeconds: setupSeconds,
    duckdbSeconds,
    rulesDiffering: [...badRules],
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [db, dir, flag] = process.argv.slice(2);
  if (!db || !dir) throw new Error('usage: node dist/bench/sqlfor16-bench.js CASE.db EXPORT_DIR | CASE.db EVIDENCE_DIR --cloudtrail');
  const target = flag === '--cloudtrail' ? 'cloudtrail' : 'parquet';
  const result = target === 'cloudtrail' ? await runSqlForCloudTrailBench(db, dir) : await runSqlForBench(db, dir);
  const out = { issue: 16, date: new Date().toISOString(), machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((x) => +x.toFixed(2)) }, target, case: db, input: dir, result };
  fs.writeFileSync(path.join(here, '..', '..', 'bench', 'results', `sqlfor-${target}-issue16.json`), `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out, null, 2));
}
