// Parquet export benchmark (issue 16 targets): `trailhound export` of the bench case with the real CLI, wall time
// and peak RSS, the Parquet's bytes against the case file's, and the time against the same run's ingest. Then the
// export is read back with DuckDB and compared with the case partition by partition: rows, and for every column the
// values present and a checksum (sum of text byte lengths, of numbers, of epoch milliseconds, of true values),
// computed on the case side by SQLite over events_v (the records' lengths from the byte lengths ingest stored).
// Results also go to bench/results/export-issue16.json.
//   node dist/bench/export16-bench.js CASE.db [INGEST_SECONDS]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DuckDBInstance } from '@duckdb/node-api';
import { measure } from './measure.js';
import { EVENT_COLUMNS, FLAG_COLUMNS } from '../src/model/event-columns.js';
import { EXPORT_EVENT_COLUMNS, ODD_FIELDS_COLUMN, RECORD_COLUMN, type ExportColumn } from '../src/model/export-schema.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const bin = path.join(repo, 'bin', 'trailhound.js');

/** The case-side expression (over events_v v, events e, sources s) of each exported column. */
function caseExpr(c: ExportColumn, trustedFrom: number): string {
  if (c.name === 'event_row') return 'v.row_id';
  if (c.name === 'source_sha256') return 's.sha256';
  if (c.name === RECORD_COLUMN) return 'CASE WHEN v.is_partial THEN NULL ELSE e.byte_length END';
  if (c.name === ODD_FIELDS_COLUMN) return `(v.odd_fields OR v.row_id < ${trustedFrom})`;
  const reg = EVENT_COLUMNS.find((r) => r.column === c.name);
  if (reg?.kind === 'time') return `v.${c.name}_ms`;
  if (reg || FLAG_COLUMNS.some((f) => f.column === c.name) || ['trust', 'source_file', 'record_index'].includes(c.name)) return `v.${c.name}`;
  throw new Error(`no case expression for exported column ${c.name}`);
}

/** Two aggregates per column: values present, and a checksum. */
function caseAggregates(trustedFrom: number): string[] {
  return EXPORT_EVENT_COLUMNS.flatMap((c) => {
    const x = caseExpr(c, trustedFrom);
    if (c.name === RECORD_COLUMN) return [`count(${x})`, `coalesce(sum(${x}), 0)`];
    if (c.type === 'varchar') return [`count(${x})`, `coalesce(sum(length(CAST(${x} AS BLOB))), 0)`];
    return [`count(${x})`, `coalesce(sum(${x}), 0)`];
  });
}

function parquetAggregates(): string[] {
  return EXPORT_EVENT_COLUMNS.flatMap((c) => {
    const x = `"${c.name}"`;
    if (c.type === 'varchar') return [`count(${x})`, `coalesce(sum(strlen(${x})), 0)`];
    if (c.type === 'boolean') return [`count(${x})`, `coalesce(sum(${x}::INTEGER), 0)`];
    if (c.type === 'timestamp') return [`count(${x})`, `coalesce(sum(epoch_ms(${x})), 0)`];
    return [`count(${x})`, `coalesce(sum(${x}), 0)`];
  });
}

/** Compare the export with the case: per partition, rows and each column's two aggregates. */
export async function compareExport(caseDb: string, out: string): Promise<{ partitions: number; rows: number; columns: number; mismatches: string[]; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const db = new Database(caseDb, { readonly: true });
  const meta = (k: string) => db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(k) as string | undefined;
  const validFrom = (db.prepare("SELECT value FROM meta WHERE key LIKE 'column\\_from.%' ESCAPE '\\'").pluck().all() as string[]).map(Number);
  const trustedFrom = Math.max(Number(meta('flag_from.odd_fields') ?? 1), ...validFrom, 1);
  const key = "coalesce(v.recipient_account_id, '∅') || '/' || coalesce(v.aws_region, '∅') || '/' || coalesce(substr(v.event_time, 1, 10), '∅')";
  const caseRows = db
    .prepare(`SELECT ${key} AS k, count(*) AS n, ${caseAggregates(trustedFrom).join(', ')} FROM events_v v JOIN events e ON e.id = v.row_id JOIN sources s ON s.id = v.source_id GROUP BY k`)
    .raw()
    .safeIntegers(true)
    .all() as Array<Array<string | number | bigint>>;
  db.close();
  const duck = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false', memory_limit: '1GB', threads: '2' });
  const c = await duck.connect();
  const pkey = "coalesce(account, '∅') || '/' || coalesce(region, '∅') || '/' || coalesce(\"date\", '∅')";
  const r = await c.runAndReadAll(
    `SELECT ${pkey} AS k, count(*) AS n, ${parquetAggregates().join(', ')} FROM read_parquet('${path.join(out, 'events')}/**/*.parquet', hive_partitioning = true, hive_types_autocast = false) GROUP BY k`,
  );
  const parquetRows = r.getRows() as Array<Array<unknown>>;
  c.closeSync();
  duck.closeSync();
  const norm = (v: unknown) => (v === null || v === undefined ? '0' : String(typeof v === 'object' ? String(v) : v));
  const byKey = new Map(parquetRows.map((row) => [String(row[0]), row.slice(1).map(norm)]));
  const mismatches: string[] = [];
  let rows = 0;
  for (const row of caseRows) {
    const k = String(row[0]);
    const want = row.slice(1).map(norm);
    rows += Number(row[1]);
    const got = byKey.get(k);
    byKey.delete(k);
    if (!got) {
      mismatches.push(`partition ${k}: not in the export`);
      continue;
    }
    if (got[0] !== want[0]) mismatches.push(`partition ${k}: ${got[0]} rows, case ${want[0]}`);
    EXPORT_EVENT_COLUMNS.forEach((col, i) => {
      for (const [j, what] of [[1, 'values'], [2, 'checksum']] as const) {
        if (got[2 * i + j] !== want[2 * i + j]) mismatches.push(`partition ${k} column ${col.name}: ${what} ${got[2 * i + j]}, case ${want[2 * i + j]}`);
      }
    });
  }
  for (const k of byKey.keys()) mismatches.push(`partition ${k}: in the export, not in the case`);
  return { partitions: caseRows.length, rows, columns: EXPORT_EVENT_COLUMNS.length, mismatches: mismatches.slice(0, 20), seconds: +(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1) };
}

function dirBytes(dir: string): { bytes: number; files: number; parquet: number } {
  let bytes = 0;
  let files = 0;
  let parquet = 0;
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const st = fs.statSync(path.join(dir, f));
    if (!st.isFile()) continue;
    bytes += st.size;
    files++;
    if (f.endsWith('.parquet')) parquet++;
  }
  return { bytes, files, parquet };
}

/** Export the case, measure, compare; `ingestSeconds` is the same run's ingest (else latest.json's, said so). */
export async function runExportBench(caseDb: string, ingestSeconds?: number): Promise<Record<string, unknown>> {
  let ingest = ingestSeconds;
  let ingestFrom = 'this run';
  if (ingest === undefined) {
    const latest = path.join(repo, 'bench', 'results', 'latest.json');
    const prev = fs.existsSync(latest) ? (JSON.parse(fs.readFileSync(latest, 'utf8')) as { date?: string; ingest?: { seconds?: number } }) : {};
    ingest = prev.ingest?.seconds;
    ingestFrom = `bench/results/latest.json of ${prev.date ?? '?'}`;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-export-bench-'));
  try {
    const out = path.join(work, 'parquet');
    const m = await measure([bin, 'export', '--db', caseDb, '--out', out, '--json', '--quiet']);
    if (m.code !== 0) throw new Error(`export exited ${m.code}`);
    const summary = JSON.parse(m.stdout) as { tables: Record<string, { rows: number; files: number }> };
    const size = dirBytes(out);
    const caseBytes = fs.statSync(caseDb).size;
    const check = await compareExport(caseDb, out);
    // The rules' SQL (sql-for --target parquet) on DuckDB over this export, against trailhound detect on the case.
    const { runSqlForBench } = await import('./sqlfor16-bench.js');
    const sqlFor = await runSqlForBench(caseDb, out);
    const result = {
      seconds: +m.seconds.toFixed(2),
      peakRssMB: m.peakRssMB,
      events: summary.tables.events.rows,
      eventsPerSecond: Math.round(summary.tables.events.rows / m.seconds),
      eventFiles: summary.tables.events.files,
      files: size.files,
      parquetBytes: size.bytes,
      caseBytes,
      sizeRatio: +(size.bytes / caseBytes).toFixed(3),
      ingestSeconds: ingest ?? null,
      ingestFrom,
      timeRatio: ingest ? +(m.seconds / ingest).toFixed(3) : null,
      readBack: check,
      sqlFor,
    };
    const dir = path.join(repo, 'bench', 'results');
    fs.mkdirSync(dir, { recursive: true });
    const targets = {
      issue: 16,
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((x) => +x.toFixed(2)) },
      export: result,
      targets: {
        timeAtMostHalfOfIngest: { target: 0.5, measured: result.timeRatio, met: result.timeRatio !== null && result.timeRatio <= 0.5 },
        parquetAtMostHalfOfCase: { target: 0.5, measured: result.sizeRatio, met: result.sizeRatio <= 0.5 },
        sqlFindingsEqualDetect: { target: 100, measured: sqlFor.parityPercent, rulesTranslated: sqlFor.rulesTranslated, rulesWithFindings: sqlFor.rulesWithFindings, met: sqlFor.parityPercent === 100 },
        everyRowCompared: { partitions: check.partitions, rows: check.rows, columns: check.columns, mismatches: check.mismatches.length, met: check.mismatches.length === 0 && check.rows === result.events },
      },
    };
    fs.writeFileSync(path.join(dir, 'export-issue16.json'), `${JSON.stringify(targets, null, 2)}\n`);
    return result;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runExportBench(process.argv[2], process.argv[3] ? Number(process.argv[3]) : undefined).then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
}
