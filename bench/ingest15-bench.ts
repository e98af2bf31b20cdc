// The measures of issue 15 ("ingest at the speed of the alternatives"), each run as child processes so every
// figure is a whole process with its own peak RSS: DuckDB's read_json load of the same log files (bare, and with
// fields extracted), the case's bytes by table (info --stats), adding one day to a case built without it, and
// big single files (one Records array, one NDJSON) ingested with the evidence embedded and with --no-embed.
// bench/run.ts calls these in one run, next to the one-core floor and the full ingest, so the ratios hold.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSingleFile } from '../fixtures/generator/generate.js';
import { measure } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', '..', 'bin', 'trailhound.js');

export interface DuckdbLoad {
  mode: 'bare' | 'columns';
  seconds: number;
  peakRssMB: number;
  fileBytes: number;
  rows: number;
  version: string;
}

/** One DuckDB load of `files` into a fresh file in `work` (child process: bench/duckdb-load.ts); null with a note on stderr when DuckDB is not installed. */
export async function duckdbLoad(files: string[], work: string, mode: 'bare' | 'columns'): Promise<DuckdbLoad | null> {
  const list = path.join(work, 'duckdb-files.txt');
  fs.writeFileSync(list, `${files.join('\n')}\n`);
  const db = path.join(work, `duckdb-${mode}.duckdb`);
  const m = await measure([path.join(here, 'duckdb-load.js'), '--db', db, '--files', list, '--mode', mode]);
  fs.rmSync(db, { force: true });
  fs.rmSync(`${db}.wal`, { force: true });
  if (m.code !== 0) {
    process.stderr.write(`bench: the DuckDB ${mode} load failed (exit ${m.code}); is the dev dependency @duckdb/node-api installed (npm ci)?\n`);
    return null;
  }
  const r = JSON.parse(m.stdout) as { seconds: number; rows: number; fileBytes: number; version: string };
  // Wall time of the whole child (startup and loading the library included), as for trailhound's ingest.
  return { mode, seconds: m.seconds, peakRssMB: m.peakRssMB, fileBytes: r.fileBytes, rows: r.rows, version: r.version };
}

export interface CaseSize {
  fileBytes: number;
  events: number;
  bytesPerEvent: number | null;
  bytesPerEventWithoutEvidence: number | null;
  evidenceBytes: number;
  evidenceShare: number;
  /** table → bytes of its b-tree and its indexes together (tables of one page left out). */
  byTable: Record<string, { bytes: number; indexBytes: number }>;
  /** index → bytes (one-page indexes left out). */
  byIndex: Record<string, number>;
}

/** The case's bytes by table and index, through the user's command (`info --stats --json`). */
export async function caseSize(db: string): Promise<CaseSize> {
  const m = await measure([bin, 'info', '--db', db, '--stats', '--json']);
  if (m.code !== 0) throw new Error(`info --stats on ${db} exited ${m.code}`);
  const s = (JSON.parse(m.stdout) as { stats: CaseSizeStats }).stats;
  const byTable: CaseSize['byTable'] = {};
  for (const t of s.tables) if (t.totalBytes > s.pageSize) byTable[t.name] = { bytes: t.bytes, indexBytes: t.indexBytes };
  const byIndex: Record<string, number> = {};
  for (const p of s.parts) if (p.type === 'index' && p.bytes > s.pageSize) byIndex[p.name] = p.bytes;
  return {
    fileBytes: s.fileBytes,
    events: s.events,
    bytesPerEvent: s.bytesPerEvent,
    bytesPerEventWithoutEvidence: s.bytesPerEventWithoutEvidence,
    evidenceBytes: s.evidenceBytes,
    evidenceShare: s.evidenceShare,
    byTable,
    byIndex,
  };
}

interface CaseSizeStats {
  fileBytes: number;
  pageSize: number;
  events: number;
  bytesPerEvent: number | null;
  bytesPerEventWithoutEvidence: number | null;
  evidenceBytes: number;
  evidenceShare: number;
  tables: Array<{ name: string; bytes: number; indexBytes: number; totalBytes: number }>;
  parts: Array<{ name: string; type: string; bytes: number }>;
}

interface IngestSummary {
  eventsAdded: number;
  records: number;
}

async function ingest(args: string[]): Promise<{ seconds: number; peakRssMB: number; summary: IngestSummary }> {
  const m = await measure([bin, 'ingest', ...args, '--quiet', '--json']);
  if (m.code !== 0) throw new Error(`trailhound ingest ${args.join(' ')} exited ${m.code}`);
  return { seconds: m.seconds, peakRssMB: m.peakRssMB, summary: JSON.parse(m.stdout) as IngestSummary };
}

/** Hard-link a file (copy it when the link is refused, e.g. across file systems). */
function link(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

/**
 * The delivery days to add: the latest date folder, and the one before when the latest holds less than a quarter
 * of its files (only the spill of late deliveries after midnight).
 */
function lastDays(files: string[]): string[] {
  const perDay = new Map<string, number>();
  for (const f of files) {
    const d = /[\\/](\d{4})[\\/](\d{2})[\\/](\d{2})[\\/][^\\/]+$/.exec(f);
    if (d) perDay.set(`${d[1]}/${d[2]}/${d[3]}`, (perDay.get(`${d[1]}/${d[2]}/${d[3]}`) ?? 0) + 1);
  }
  const days = [...perDay.keys()].sort();
  if (days.length < 2) throw new Error('bench: the evidence spans fewer than two delivery days; nothing to add one day to');
  const last = days[days.length - 1];
  const before = days[days.length - 2];
  return perDay.get(last)! * 4 < perDay.get(before)! ? [before, last] : [last];
}

export interface AddOneDay {
  days: string[];
  filesAdded: number;
  /** Building the case without the day (not the measure; for reference). */
  baseSeconds: number;
  seconds: number;
  peakRssMB: number;
  eventsAdded: number;
  /** eventsAdded ÷ the full case's events. */
  share: number;
  /** fullIngestSeconds × share: what a proportional cost would be. */
  proportionalSeconds: number;
  /** seconds ÷ proportionalSeconds (1 = exactly proportional). */
  ratio: number;
}

/**
 * Adding one day to a case: a hard-linked copy of the evidence tree without its last delivery day is ingested
 * into a new case, then the day's files are linked into the same copy and the same root is ingested again.
 */
export async function addOneDay(evidence: string, work: string, full: { seconds: number; events: number }): Promise<AddOneDay> {
  const all = (fs.readdirSync(evidence, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(evidence, f)).isFile());
  const days = lastDays(all);
  const inDay = (f: string) => days.some((d) => f.includes(`${path.sep}${d.split('/').join(path.sep)}${path.sep}`));
  const copy = path.join(work, 'one-day', 'evidence');
  fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  const later = all.filter(inDay);
  for (const f of all) if (!inDay(f)) link(path.join(evidence, f), path.join(copy, f));
  const db = path.join(work, 'one-day', 'case.db');
  const base = await ingest([copy, '--db', db]);
  for (const f of later) link(path.join(evidence, f), path.join(copy, f));
  const step = await ingest([copy, '--db', db]);
  const share = step.summary.eventsAdded / full.events;
  const proportionalSeconds = full.seconds * share;
  fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  return {
    days,
    filesAdded: later.length,
    baseSeconds: base.seconds,
    seconds: step.seconds,
    peakRssMB: step.peakRssMB,
    eventsAdded: step.summary.eventsAdded,
    share: +share.toFixed(4),
    proportionalSeconds: +proportionalSeconds.toFixed(2),
    ratio: +(step.seconds / proportionalSeconds).toFixed(2),
  };
}

export interface BigIngest {
  seconds: number;
  jsonMBps: number;
  peakRssMB: number;
  eventsAdded: number;
  caseBytes: number;
}

export interface BigFile {
  format: 'records' | 'ndjson';
  bytes: number;
  events: number;
  writeSeconds: number;
  /** Default options: the file's bytes embedded in the case. */
  embedded: BigIngest;
  noEmbed: BigIngest;
}

/** Bytes of JSON per generated event, to size a file in GB (measured on the generator's noise: ~1.46 KB). */
const BYTES_PER_EVENT = 1460;

/** One big single file of about `gb` GB (seeded), ingested into a new case twice: with the evidence embedded, and --no-embed. */
export async function bigFile(work: string, format: 'records' | 'ndjson', gb: number): Promise<BigFile> {
  const dir = path.join(work, 'big');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, format === 'records' ? 'one-records-array.json' : 'one-export.ndjson');
  const events = Math.max(1, Math.round((gb * 1e9) / BYTES_PER_EVENT));
  process.stderr.write(`writing one ${gb} GB ${format === 'records' ? '{"Records":[…]}' : 'NDJSON'} file (~${events} events) ...\n`);
  const t0 = process.hrtime.bigint();
  const w = await writeSingleFile({ file, events, seed: format === 'records' ? 11 : 13, format, gzip: false });
  const writeSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const one = async (flags: string[]): Promise<BigIngest> => {
    const db = path.join(dir, 'big.db');
    fs.rmSync(db, { force: true });
    process.stderr.write(`ingest ${path.basename(file)}${flags.length ? ` ${flags.join(' ')}` : ''} ...\n`);
    const r = await ingest([file, '--db', db, ...flags]);
    const caseBytes = fs.statSync(db).size;
    for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
    return { seconds: r.seconds, jsonMBps: +(w.bytes / 1e6 / r.seconds).toFixed(1), peakRssMB: r.peakRssMB, eventsAdded: r.summary.eventsAdded, caseBytes };
  };
  const embedded = await one([]);
  const noEmbed = await one(['--no-embed']);
  fs.rmSync(file, { force: true });
  return { format, bytes: w.bytes, events: w.events, writeSeconds: +writeSeconds.toFixed(1), embedded, noEmbed };
}
