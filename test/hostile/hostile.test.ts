// Acceptance test over the hostile-evidence corpus (fixtures/hostile/generate.ts): every input is ingested by
// the real CLI, in one run per category into a case that already holds good evidence, and once more with
// --stream-threshold 1 so that every file goes through the streaming path. For each input the case and the
// `ingest --json` summary must show: no crash, no hang, no silent loss (every record ingested or reported),
// the problems the manifest expects, the exact number of events when it is known, and the same events in both
// runs. Then every output command is run over the injected text and must print no raw control character, and
// every bad --db value must be refused quickly without being touched.
//
// When a category run crashes, hangs or exits 1, each of its inputs is ingested again on its own (a fresh
// case, 15 s limit) so that the failure names the input; the per-input verdicts then come from those runs.
//
// Environment: HOSTILE_KEEP=1 keeps the work folder; HOSTILE_REPORT=FILE writes a JSON report of every run
// (times, exit codes, peak RSS) and every violation.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { argvSafe, generateHostile, type HostileCategory, type HostileInput } from '../../fixtures/hostile/generate.js';
import { event, writeLog } from '../helpers/evidence.js';
import { tmpDir } from '../helpers/paths.js';
import { findRawControl } from '../helpers/raw-control.js';
import { abnormal, describeRun, runBounded, type BoundedResult } from '../helpers/run-bounded.js';

const RUN_TIMEOUT = 60_000;
const ISOLATED_TIMEOUT = 15_000;
const CASE_TIMEOUT = 10_000;
const OUTPUT_TIMEOUT = 30_000;

type Mode = 'memory' | 'stream';
const MODES: Mode[] = ['memory', 'stream'];
const INGESTED: HostileCategory[] = ['gzip', 'json', 'field', 'fs'];

const t0 = performance.now();
const work = tmpDir('trailhound-hostile-');
const corpus = path.join(work, 'corpus');
const manifest: HostileInput[] = generateHostile(corpus, 1);
const generationMs = performance.now() - t0;
const byCategory = (c: HostileCategory): HostileInput[] => manifest.filter((i) => i.category === c);
/**
 * The one exit code an ingest of these inputs must end with (docs/exit-codes.md): 4 when one must be reported, 0 when
 * none may be; null only when an input's verdict is 'maybe' (reading it may or may not be a problem) and none must be.
 */
function ingestExit(inputs: HostileInput[]): 0 | 4 | null {
  if (inputs.some((i) => i.expect.fileProblem === true || (i.expect.problemRecords ?? []).length > 0)) return 4;
  return inputs.some((i) => i.expect.fileProblem === 'maybe') ? null : 0;
}
const catDir = (c: HostileCategory): string => path.join(corpus, c);
/** Path of an input relative to its category folder, without a trailing '/'. */
const relInCat = (i: HostileInput): string => i.relPath.slice(i.category.length + 1).replace(/\/$/, '');
const label = (i: HostileInput): string => `${i.category}/${i.name} (${i.note})`;

interface Problem {
  file: string;
  recordIndex: number | null;
  code: string;
  message: string;
  severity: string;
}

interface SourceRow {
  id: number;
  root: string;
  path: string;
  status: string;
  duplicate_of: number | null;
  kind: string;
  reason: string | null;
}

interface CaseData {
  error: string | null;
  sources: SourceRow[];
  occ: Map<number, { idx: Set<number>; events: Set<number> }>;
  /** eventID → event_time (ms) */
  times: Map<string, number | null>;
  eventCount: number;
  errorWarnings: Problem[];
  /** Files named by symlink_alias warnings. */
  aliases: string[];
}

interface InputData {
  via: 'category run' | 'isolated run';
  run: BoundedResult;
  root: string;
  problems: Problem[];
  problemsFrom: 'ingest --json' | 'warnings table';
  caseData: CaseData;
  note?: string;
}

interface ModeResult {
  db: string;
  goodRun: BoundedResult;
  goodShowBefore: BoundedResult;
  goodShowAfter: BoundedResult | null;
  goodCountBefore: number;
  runs: Map<HostileCategory, BoundedResult>;
  hard: Map<HostileCategory, string>;
  data: Map<string, InputData>;
  caseData: CaseData | null;
}

const report: { generationMs: number; runs: Array<Record<string, unknown>>; violations: Record<string, string[]>; totalMs?: number } = { generationMs, runs: [], violations: {} };

function run(labelText: string, args: string[], timeoutMs: number): BoundedResult {
  const r = runBounded(args, { timeoutMs });
  report.runs.push({ label: labelText, args: args.map((a) => (a.length > 120 ? `${a.slice(0, 117)}...` : a)).slice(0, 12), code: r.code, signal: r.signal, timedOut: r.timedOut, seconds: +(r.ms / 1000).toFixed(2), maxRssMiB: r.maxRssKb ? Math.round(r.maxRssKb / 1024) : null });
  return r;
}

function unpackId(v: unknown): string {
  if (v instanceof Uint8Array) {
    const h = Buffer.from(v).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return String(v);
}

function readCase(file: string): CaseData {
  const empty: CaseData = { error: null, sources: [], occ: new Map(), times: new Map(), eventCount: 0, errorWarnings: [], aliases: [] };
  if (!fs.existsSync(file)) return { ...empty, error: 'no case file' };
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const sources = db.prepare('SELECT id, root, path, status, duplicate_of, kind, reason FROM sources').all() as SourceRow[];
    const occ = new Map<number, { idx: Set<number>; events: Set<number> }>();
    for (const o of db.prepare('SELECT event_id, source_id, record_index FROM occurrences').iterate() as Iterable<{ event_id: number; source_id: number; record_index: number }>) {
      let s = occ.get(o.source_id);
      if (!s) occ.set(o.source_id, (s = { idx: new Set(), events: new Set() }));
      s.idx.add(o.record_index);
      s.events.add(o.event_id);
    }
    const times = new Map<string, number | null>();
    for (const e of db.prepare('SELECT event_id, event_time FROM events').iterate() as Iterable<{ event_id: unknown; event_time: number | null }>) times.set(unpackId(e.event_id), e.event_time);
    const errorWarnings = (db.prepare("SELECT file, record_index AS recordIndex, code, message, severity FROM warnings WHERE severity = 'error'").all() as Problem[]);
    const aliases = db.prepare("SELECT file FROM warnings WHERE code = 'symlink_alias'").pluck().all() as string[];
    return { error: null, sources, occ, times, eventCount: times.size, errorWarnings, aliases };
  } catch (err) {
    return { ...empty, error: `case unreadable: ${(err as Error).message}` };
  } finally {
    db?.close();
  }
}

function parseSummary(r: BoundedResult): { problems: Problem[]; eventsAdded: number } | null {
  try {
    const s = JSON.parse(r.stdout) as { problems?: Problem[]; eventsAdded?: number };
    return Array.isArray(s.problems) ? { problems: s.problems, eventsAdded: s.eventsAdded ?? 0 } : null;
  } catch {
    return null;
  }
}

/** Why a category run cannot be used for per-input verdicts (then its inputs are isolated), or null. */
function hardFailure(r: BoundedResult): string | null {
  const ab = abnormal(r);
  if (ab) return ab;
  if (r.code !== 0 && r.code !== 4) return `exit ${r.code} (fatal; per-file problems must give 4)`;
  if (!parseSummary(r)) return 'ingest --json printed no parseable summary';
  return null;
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** A problem's or source's path, relative to root when it was given absolute. */
function relTo(root: string, file: string): string {
  for (const r of [root, realpathOr(root)]) if (file.startsWith(`${r}/`)) return file.slice(r.length + 1);
  return file;
}

/** Problem codes that say nothing below the named folder was read. */
const ANCESTOR_CODES = new Set(['path_too_long', 'unreadable', 'undecodable_name']);

function matcher(i: HostileInput): (rel: string) => boolean {
  if (i.pathPattern) {
    const re = new RegExp(i.pathPattern);
    return (rel) => re.test(rel);
  }
  const r = relInCat(i);
  return (rel) => rel === r || rel.startsWith(`${r}/`);
}

const fmtIdx = (xs: number[]): string => (xs.length > 12 ? `${xs.slice(0, 12).join(', ')} … (${xs.length})` : xs.join(', '));
const short = (s: string): string => (s.length > 200 ? `${s.slice(0, 200)}…` : s).replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

interface Evaluation {
  violations: string[];
  events: number;
}

/** Regular files under a folder (not following links), relative to root. */
function filesUnder(root: string, rel: string): string[] {
  const out: string[] = [];
  const walk = (r: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, r), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const sub = `${r}/${e.name}`;
      if (e.isDirectory()) walk(sub);
      else if (e.isFile()) out.push(sub);
    }
  };
  walk(rel);
  return out;
}

function evaluate(i: HostileInput, d: InputData, mode: Mode): Evaluation {
  const v: string[] = [];
  const where = `${mode} ${d.via}`;
  const ab = abnormal(d.run);
  if (ab) v.push(`no crash/hang: ${where} ${ab}`);
  else if (d.run.code === 1) v.push(`exit code: ${where} exited 1 (fatal) — per-file problems must give 4`);
  if (d.caseData.error) v.push(`case: ${d.caseData.error}`);
  if (d.note) v.push(d.note);
  const match = matcher(i);
  const roots = new Set([d.root, realpathOr(d.root)]);
  const rows = d.caseData.sources.filter((s) => roots.has(s.root) && match(s.path));
  // A problem naming a folder above the input covers it when nothing below that folder is read.
  const covers = (p: Problem): boolean => match(relTo(d.root, p.file)) || (ANCESTOR_CODES.has(p.code) && relInCat(i).startsWith(`${relTo(d.root, p.file)}/`));
  const errs = d.problems.filter((p) => p.severity === 'error' && covers(p));
  // A link to evidence that is also reached by its own path is read once, under that path, and said (a warning).
  const alias = d.caseData.aliases.some((f) => match(relTo(d.root, f)));
  const fileLevel = errs.filter((p) => p.recordIndex === null || p.recordIndex === undefined);
  const errIdx = new Set(errs.filter((p) => typeof p.recordIndex === 'number').map((p) => p.recordIndex as number));
  const effective = new Set(rows.map((r) => r.duplicate_of ?? r.id));
  const occIdx = new Set<number>();
  const events = new Set<number>();
  for (const id of effective) {
    const o = d.caseData.occ.get(id);
    if (!o) continue;
    for (const x of o.idx) occIdx.add(x);
    for (const e of o.events) events.add(e);
  }

  // Accounted for: a source row or an error problem, for the input and (folders) for every file inside it.
  if (rows.length === 0 && errs.length === 0 && !alias) v.push(`silent loss: no source row and no error problem names ${JSON.stringify(short(relInCat(i)))}`);
  if (i.relPath.endsWith('/')) {
    const abs = path.join(corpus, i.relPath);
    let isDir = false;
    try {
      isDir = fs.lstatSync(abs.replace(/\/$/, '')).isDirectory();
    } catch {
      // not listable
    }
    if (isDir) {
      const files = filesUnder(catDir(i.category), relInCat(i));
      const dropped = files.filter((f) => !d.caseData.sources.some((s) => roots.has(s.root) && s.path === f) && !d.problems.some((p) => p.severity === 'error' && (relTo(d.root, p.file) === f || f.startsWith(`${relTo(d.root, p.file)}/`))));
      if (dropped.length > 0) v.push(`silent loss: ${dropped.length} of ${files.length} files inside are neither sources nor named in a problem (e.g. ${short(dropped[0])})`);
    }
  }

  if (i.records >= 0) {
    if (fileLevel.length === 0) {
      const missing: number[] = [];
      for (let k = 0; k < i.records; k++) if (!occIdx.has(k) && !errIdx.has(k)) missing.push(k);
      if (missing.length > 0 && (rows.length > 0 || errs.length > 0)) v.push(`silent loss: record(s) ${fmtIdx(missing)} of ${i.records} neither in the case (occurrences) nor named in an error problem, and no file-level error`);
    }
    if (events.size > i.records) v.push(`more events than records: ${events.size} events in the case from a file holding ${i.records} records`);
  }

  if (i.expect.fileProblem === true) {
    if (errs.length === 0) v.push(`not reported: expected an error problem naming the file${rows.length ? ` (source status ${rows.map((r) => r.status).join('/')}${rows[0].reason ? `: ${short(rows[0].reason)}` : ''})` : ''}`);
    if (!ab && d.run.code !== 4) v.push(`exit code: ${where} exited ${d.run.code}, expected 4 (something was skipped)`);
  } else if (i.expect.fileProblem === false) {
    for (const p of fileLevel) v.push(`unexpected file-level error problem: ${p.code}: ${short(p.message)}`);
    const extra = [...errIdx].filter((k) => !(i.expect.problemRecords ?? []).includes(k));
    if (extra.length > 0) v.push(`unexpected error problem for record(s) ${fmtIdx(extra)}: ${short(errs.find((p) => p.recordIndex === extra[0])?.message ?? '')}`);
  }
  const wanted = (i.expect.problemRecords ?? []).filter((k) => !errIdx.has(k));
  if (wanted.length > 0) v.push(`not reported: record(s) ${fmtIdx(wanted)} must each be named by an error problem${fileLevel.length ? ` (only a file-level problem: ${short(fileLevel[0].message)})` : ''}`);
  if ((i.expect.problemRecords ?? []).length > 0 && !ab && d.run.code !== 4) v.push(`exit code: ${where} exited ${d.run.code}, expected 4 (records were reported)`);
  if (i.expect.events !== undefined && events.size !== i.expect.events) v.push(`events: ${events.size} events in the case from this file, expected exactly ${i.expect.events}`);
  for (const t of i.expect.eventTimes ?? []) {
    const got = d.caseData.times.get(t.eventID);
    const want = t.time === null ? null : Date.parse(t.time);
    if (got === undefined) v.push(`eventTime: event ${t.eventID} is not in the case`);
    else if (got !== want) v.push(`eventTime: event ${t.eventID} stored with ${got === null ? 'no time' : new Date(got).toISOString()}, expected ${t.time}`);
  }
  return { violations: v, events: events.size };
}

/** Copy one input, keeping its path inside the category folder, into dir (for an isolated run). */
function isolateCopy(i: HostileInput, dir: string): string | null {
  if (i.pathPattern) return 'cannot isolate an input whose name is not a string';
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync('cp', ['-a', '--parents', relInCat(i), dir], { cwd: catDir(i.category), encoding: 'utf8' });
  if (r.status !== 0) return `could not isolate: ${short(r.stderr)}`;
  // A second, ordinary file, so that the run takes the same path as a folder of many files (parser threads)
  // rather than the in-process path used for a single small file.
  fs.writeFileSync(path.join(dir, 'zz-isolation-companion.json'), JSON.stringify({ Records: [event()] }));
  return null;
}

const modes = new Map<Mode, ModeResult>();
let goodDir = '';
let goodIds: string[] = [];

function showGood(db: string): BoundedResult {
  return run('show good events', ['show', ...goodIds, '--db', db, '--format', 'json'], OUTPUT_TIMEOUT);
}

function runMode(mode: Mode): ModeResult {
  const db = path.join(work, `${mode}.db`);
  const extra = mode === 'stream' ? ['--stream-threshold', '1'] : [];
  const goodRun = run(`${mode}: ingest good`, ['ingest', goodDir, '--db', db, '--json', ...extra], RUN_TIMEOUT);
  const goodShowBefore = showGood(db);
  const goodCountBefore = readCase(db).eventCount;
  const res: ModeResult = { db, goodRun, goodShowBefore, goodShowAfter: null, goodCountBefore, runs: new Map(), hard: new Map(), data: new Map(), caseData: null };
  for (const c of INGESTED) res.runs.set(c, run(`${mode}: ingest ${c}`, ['ingest', catDir(c), '--db', db, '--json', ...extra], RUN_TIMEOUT));
  res.goodShowAfter = showGood(db);
  const caseData = readCase(db);
  res.caseData = caseData;
  for (const c of INGESTED) {
    const r = res.runs.get(c)!;
    const hard = hardFailure(r);
    if (!hard) {
      const s = parseSummary(r)!;
      for (const i of byCategory(c)) res.data.set(i.name, { via: 'category run', run: r, root: catDir(c), problems: s.problems, problemsFrom: 'ingest --json', caseData });
      continue;
    }
    res.hard.set(c, hard);
    for (const i of byCategory(c)) {
      const dir = path.join(work, `iso-${mode}`, i.name);
      const copyErr = isolateCopy(i, dir);
      if (copyErr) {
        res.data.set(i.name, { via: 'category run', run: r, root: catDir(c), problems: caseData.errorWarnings, problemsFrom: 'warnings table', caseData, note: `category run ${c} failed (${hard}); ${copyErr}` });
        continue;
      }
      const idb = path.join(work, `iso-${mode}`, `${i.name}.db`);
      const ir = run(`${mode}: isolated ${c}/${i.name}`, ['ingest', dir, '--db', idb, '--json', ...extra], ISOLATED_TIMEOUT);
      const s = parseSummary(ir);
      const cd = readCase(idb);
      res.data.set(i.name, { via: 'isolated run', run: ir, root: dir, problems: s ? s.problems : cd.errorWarnings, problemsFrom: s ? 'ingest --json' : 'warnings table', caseData: cd, note: undefined });
    }
  }
  return res;
}

beforeAll(() => {
  goodDir = path.join(work, 'good');
  const a = Array.from({ length: 10 }, () => event());
  const b = Array.from({ length: 5 }, () => event({ eventName: 'GetCallerIdentity', eventSource: 'sts.amazonaws.com' }));
  writeLog(goodDir, a);
  writeLog(goodDir, b, { gz: false, stamp: '20240217T1010Z' });
  goodIds = [...a, ...b].map((e) => e.eventID as string);
  for (const m of MODES) modes.set(m, runMode(m));
}, 1_800_000);

afterAll(() => {
  report.totalMs = performance.now() - t0;
  const worst = [...report.runs].filter((r) => typeof r.maxRssMiB === 'number').sort((x, y) => (y.maxRssMiB as number) - (x.maxRssMiB as number))[0];
  const slowest = [...report.runs].sort((x, y) => (y.seconds as number) - (x.seconds as number)).slice(0, 5);
  console.log(`hostile corpus: ${manifest.length} inputs (${(['gzip', 'json', 'field', 'fs', 'case'] as const).map((c) => `${c} ${byCategory(c).length}`).join(', ')}), generated in ${(generationMs / 1000).toFixed(1)} s; ${report.runs.length} CLI runs; whole file ${(report.totalMs / 1000).toFixed(1)} s`);
  console.log(`slowest runs: ${slowest.map((r) => `${r.label} ${r.seconds} s`).join('; ')}`);
  if (worst) console.log(`peak RSS: ${worst.label} ${worst.maxRssMiB} MiB`);
  if (process.env.HOSTILE_REPORT) fs.writeFileSync(process.env.HOSTILE_REPORT, `${JSON.stringify(report, null, 1)}\n`);
  if (process.env.HOSTILE_KEEP) console.log(`kept ${work}`);
  else spawnSync('rm', ['-rf', work]);
});

function record(key: string, violations: string[]): string[] {
  if (violations.length > 0) report.violations[key] = violations;
  return violations;
}

describe('ingest runs', () => {
  const runs = MODES.flatMap((m) => INGESTED.map((c) => [m, c] as const));
  it.each(runs)('%s / %s: bounded, the exit its inputs call for (0 or 4), JSON summary, no raw control in stdout or stderr', (m, c) => {
    const r = modes.get(m)!.runs.get(c)!;
    const v: string[] = [];
    const ab = abnormal(r);
    if (ab) v.push(ab);
    else if (r.code !== 0 && r.code !== 4) v.push(`exit ${r.code}: per-file problems must give 4, never 1`);
    else if (ingestExit(byCategory(c)) !== null && r.code !== ingestExit(byCategory(c))) v.push(`exit ${r.code}, expected ${ingestExit(byCategory(c))}`);
    if (!ab && !parseSummary(r)) v.push(`stdout is not the JSON summary: ${short(r.stdout.slice(0, 200))}`);
    for (const [name, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
      const raw = findRawControl(text);
      if (raw) v.push(`raw control in ${name}: ${raw}`);
    }
    expect(record(`run ${m}/${c}`, v), `${m} ingest of ${c}/: ${describeRun(r)}`).toEqual([]);
  });

  it.each(MODES)('%s: the good evidence ingested first is intact afterwards (count, show output)', (m) => {
    const r = modes.get(m)!;
    const v: string[] = [];
    if (r.goodRun.code !== 0) v.push(`good ingest exited ${r.goodRun.code}: ${describeRun(r.goodRun)}`);
    if (r.goodCountBefore !== goodIds.length) v.push(`good ingest gave ${r.goodCountBefore} events, expected ${goodIds.length}`);
    const after = r.caseData;
    if (!after || after.error) v.push(`case unreadable after the hostile runs: ${after?.error}`);
    else {
      const missing = goodIds.filter((id) => !after.times.has(id));
      if (missing.length) v.push(`${missing.length} good events missing after the hostile runs`);
    }
    if (r.goodShowBefore.code !== 0) v.push(`show before: ${describeRun(r.goodShowBefore)}`);
    if (!r.goodShowAfter || r.goodShowAfter.code !== 0) v.push(`show after: ${r.goodShowAfter ? describeRun(r.goodShowAfter) : 'not run'}`);
    else if (r.goodShowAfter.stdout !== r.goodShowBefore.stdout) v.push('show <good eventIDs> --format json prints something else after the hostile runs');
    expect(record(`good intact ${m}`, v)).toEqual([]);
  });
});

const perInput = manifest.filter((i) => INGESTED.includes(i.category));

describe.each(MODES)('per input, %s run', (m) => {
  it.each(perInput.map((i) => [`${i.category}/${i.name}`, i] as const))('%s', (_n, i) => {
    const d = modes.get(m)!.data.get(i.name);
    const v = d ? evaluate(i, d, m).violations : ['no data (the run did not happen)'];
    expect(record(`${m} ${i.category}/${i.name}`, v), label(i)).toEqual([]);
  });
});

describe('per input, memory vs stream', () => {
  it.each(perInput.map((i) => [`${i.category}/${i.name}`, i] as const))('%s: same events in both runs', (_n, i) => {
    const dm = modes.get('memory')!.data.get(i.name);
    const ds = modes.get('stream')!.data.get(i.name);
    const v: string[] = [];
    if (!dm || !ds) v.push('no data');
    else {
      const em = evaluate(i, dm, 'memory').events;
      const es = evaluate(i, ds, 'stream').events;
      const bad = [abnormal(dm.run) && `memory ${dm.via} ${abnormal(dm.run)}`, abnormal(ds.run) && `stream ${ds.via} ${abnormal(ds.run)}`].filter(Boolean);
      if (bad.length) v.push(`not comparable: ${bad.join('; ')}`);
      else if (em !== es) v.push(`events differ: ${em} from the in-memory run, ${es} from the streaming run`);
    }
    expect(record(`memory-vs-stream ${i.category}/${i.name}`, v), label(i)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Output commands over the injected text.

interface OutputCommand {
  label: string;
  args: string[];
  json?: 'whole' | 'lines' | 'either';
  csv?: boolean;
  exit: number[];
}

const outputs = new Map<string, BoundedResult>();
const outputIngests: BoundedResult[] = [];
let outputCommands: OutputCommand[] = [];

function buildOutputCommands(db: string): OutputCommand[] {
  const field = byCategory('field');
  // Events whose fields carry the payloads, by their ordinary UUID eventIDs; and the events whose eventID itself
  // carries a payload (those that a command line can hold).
  const all = [...new Set(field.flatMap((i) => i.eventIDs ?? []))];
  const uuids = all.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id));
  const injectedIds = all.filter((id) => !uuids.includes(id) && argvSafe(id));
  const keys = field.find((i) => i.name === 'inject-userIdentity.accessKeyId')?.accessKeys ?? [];
  const evilKey = keys.find((k) => k.includes('\u001b]0;')) ?? keys[0];
  const d = ['--db', db];
  // Every injected record not about the access key itself uses this key: its investigation shows them all.
  const key = 'AKIAHOSTILEEXAMPLE01';
  return [
    { label: 'info', args: ['info', ...d], exit: [0] },
    { label: 'info --json', args: ['info', ...d, '--json'], json: 'whole', exit: [0] },
    // The stored warnings quote evidence (file names, keys, values): every format of `warnings`.
    ...(['table', 'json', 'jsonl', 'csv', 'md'] as const).map((f) => ({ label: `warnings --format ${f}`, args: ['warnings', ...d, '--limit', '0', '--format', f], json: f === 'json' ? ('whole' as const) : f === 'jsonl' ? ('lines' as const) : undefined, csv: f === 'csv', exit: [0] })),
    ...(['table', 'json', 'jsonl', 'csv', 'md'] as const).map((f) => ({ label: `search --format ${f}`, args: ['search', ...d, '--limit', '0', '--format', f], json: f === 'json' ? ('whole' as const) : f === 'jsonl' ? ('lines' as const) : undefined, csv: f === 'csv', exit: [0] })),
    { label: 'show <events with injected fields>', args: ['show', ...uuids, ...d], exit: [0] },
    { label: 'show <events with injected fields> --format json', args: ['show', ...uuids, ...d, '--format', 'json'], json: 'either', exit: [0] },
    { label: 'show <injected eventIDs> --format json', args: ['show', ...injectedIds, ...d, '--format', 'json'], json: 'either', exit: [0] },
    { label: 'show <injected eventIDs>', args: ['show', ...injectedIds, ...d], exit: [0] },
    ...(['json', 'text', 'table'] as const).map((o) => ({ label: `lookup-events --output ${o}`, args: ['lookup-events', ...d, '--output', o], json: o === 'json' ? ('whole' as const) : undefined, exit: [0] })),
    { label: 'investigate access-key (its events carry the payloads)', args: ['investigate', 'access-key', key, ...d, '--all-events'], exit: [0] },
    { label: 'investigate access-key --format json', args: ['investigate', 'access-key', key, ...d, '--format', 'json'], json: 'whole', exit: [0] },
    { label: 'investigate access-key --format md', args: ['investigate', 'access-key', key, ...d, '--format', 'md', '--all-events'], exit: [0] },
    { label: 'investigate access-key <injected key with an OSC sequence>', args: ['investigate', 'access-key', evilKey, ...d], exit: [2] }, // a malformed key ID is a usage error
    { label: 'investigate iam', args: ['investigate', 'iam', ...d], exit: [0] },
    { label: 'investigate iam --format json', args: ['investigate', 'iam', ...d, '--format', 'json'], json: 'whole', exit: [0] },
    { label: 'investigate console-logins', args: ['investigate', 'console-logins', ...d], exit: [0] },
    { label: 'investigate console-logins --format md', args: ['investigate', 'console-logins', ...d, '--format', 'md'], exit: [0] },
    // The hostile corpus holds no digest files: verify finds no failure but gaps in assurance (no digests), exit 5.
    { label: 'verify field fs --db', args: ['verify', catDir('field'), catDir('fs'), ...d], exit: [5] },
    { label: 'verify field fs --db --json', args: ['verify', catDir('field'), catDir('fs'), ...d, '--json'], json: 'whole', exit: [5] },
    { label: 'verify field fs --db --aws-cli-format --verbose', args: ['verify', catDir('field'), catDir('fs'), ...d, '--aws-cli-format', '--verbose'], exit: [5] },
  ];
}

/** The labels, known before the commands are built (it.each needs them at collection time). */
const OUTPUT_LABELS = buildOutputCommands('case.db').map((c) => c.label);

describe('output escaping over injected fields', () => {
  beforeAll(() => {
    const db = path.join(work, 'output.db');
    outputIngests.push(run('output: ingest good + field', ['ingest', goodDir, catDir('field'), '--db', db, '--json'], RUN_TIMEOUT));
    outputIngests.push(run('output: ingest fs', ['ingest', catDir('fs'), '--db', db, '--json'], RUN_TIMEOUT));
    outputCommands = buildOutputCommands(db);
    for (const c of outputCommands) outputs.set(c.label, run(`output: ${c.label}`, c.args, OUTPUT_TIMEOUT));
  }, 900_000);

  it('the output case was built (ingest of good + field + fs)', () => {
    const v = outputIngests.flatMap((r) => [abnormal(r), r.code !== 0 && r.code !== 4 ? `exit ${r.code}` : null, findRawControl(r.stdout) && `raw control in ingest --json stdout: ${findRawControl(r.stdout)}`, findRawControl(r.stderr) && `raw control in ingest stderr: ${findRawControl(r.stderr)}`].filter((x): x is string => !!x));
    expect(record('output ingests', v)).toEqual([]);
  });

  it.each(OUTPUT_LABELS)('%s: no raw control character in stdout or stderr', (name) => {
    const c = outputCommands.find((x) => x.label === name)!;
    const r = outputs.get(c.label)!;
    const v: string[] = [];
    const ab = abnormal(r);
    if (ab) v.push(ab);
    else if (!c.exit.includes(r.code ?? -1)) v.push(`exit ${r.code}, expected ${c.exit.join(' or ')}`);
    if (!ab && r.code === 0 && r.stdout.length === 0) v.push('no output on stdout');
    const out = c.csv ? r.stdout.replace(/\r\n/g, '\n') : r.stdout;
    const rawOut = findRawControl(out);
    if (rawOut) v.push(`raw control in stdout: ${rawOut}`);
    const rawErr = findRawControl(r.stderr);
    if (rawErr) v.push(`raw control in stderr: ${rawErr}`);
    if (c.json && r.code === 0 && r.stdout.trim()) {
      let ok = true;
      try {
        if (c.json === 'lines') for (const line of r.stdout.split('\n').filter((l) => l.trim())) JSON.parse(line);
        else JSON.parse(r.stdout);
      } catch {
        ok = false;
        if (c.json === 'either') {
          try {
            for (const line of r.stdout.split('\n').filter((l) => l.trim())) JSON.parse(line);
            ok = true;
          } catch {
            // reported below
          }
        }
      }
      if (!ok) v.push('stdout is not valid JSON');
    }
    expect(record(`output ${name}`, v), `${c.label}: ${describeRun(r)}`).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Bad --db values.

/** Everything in case/ except the evidence folders, described without ever opening a FIFO or device. */
function snapshotCaseDir(): Map<string, string> {
  const root = catDir('case');
  const out = new Map<string, string>();
  const visit = (rel: string): void => {
    const abs = path.join(root, rel);
    const st = fs.lstatSync(abs);
    if (st.isSymbolicLink()) out.set(rel, `symlink -> ${fs.readlinkSync(abs)}`);
    else if (st.isFIFO()) out.set(rel, 'fifo');
    else if (st.isDirectory()) {
      out.set(rel, 'dir');
      for (const e of fs.readdirSync(abs)) visit(path.join(rel, e));
    } else if (st.isFile()) out.set(rel, `file ${st.size} ${crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex')}`);
    else out.set(rel, 'other');
  };
  for (const e of fs.readdirSync(root)) if (e !== 'db-inside' && e !== 'source-evidence') visit(e);
  return out;
}

function diffSnapshots(a: Map<string, string>, b: Map<string, string>): string[] {
  const v: string[] = [];
  for (const k of b.keys()) if (!a.has(k)) v.push(`created ${k}`);
  for (const [k, x] of a) {
    if (!b.has(k)) v.push(`removed ${k}`);
    else if (b.get(k) !== x) v.push(`modified ${k}`);
  }
  return v;
}

describe('case files given as --db', () => {
  const inputs = byCategory('case').filter((i) => i.name !== 'db-inside-evidence');
  it.each(inputs.map((i) => [i.name, i] as const))('%s', (_n, i) => {
    const target = path.join(corpus, i.relPath.replace(/\/$/, ''));
    const base = path.basename(target);
    const refused = i.expect.fileProblem === true;
    const cmds: Array<[string, string[]]> = [
      ['info', ['info', '--db', target]],
      ['search', ['search', '--db', target, '--limit', '5']],
    ];
    // ingest too, where a refusal is the only right answer (a zero-byte file may legitimately become a new case).
    if (refused && i.name !== 'db-zero-bytes') cmds.push(['ingest', ['ingest', goodDir, '--db', target, '--json']]);
    const original = snapshotCaseDir();
    const saved = fs.lstatSync(target).isFile() ? fs.readFileSync(target) : null;
    const v = new Set<string>();
    for (const [name, args] of cmds) {
      const r = run(`case: ${name} --db ${i.relPath}`, args, CASE_TIMEOUT);
      const ab = abnormal(r);
      if (ab) v.add(`${name}: ${ab}`);
      if (refused) {
        if (!ab && r.code !== 1 && r.code !== 2) v.add(`${name}: exit ${r.code}, expected 1 or 2 (${describeRun(r)})`);
        if (!ab && !r.stderr.includes(base)) v.add(`${name}: stderr does not name ${base}: ${JSON.stringify(short(r.stderr.trim()))}`);
      } else if (!ab && r.code !== 0) v.add(`${name}: exit ${r.code} on a real case (${describeRun(r)})`);
      const raw = findRawControl(r.stderr) ?? findRawControl(r.stdout);
      if (raw) v.add(`${name}: raw control in output: ${raw}`);
      // Refused: nothing in the folder may change. Control: the case file's own bytes may not change.
      const now = snapshotCaseDir();
      const diffs = diffSnapshots(original, now).filter((d) => refused || d === `modified ${base}`);
      for (const d of diffs) v.add(`${name}: ${d} (${refused ? 'a refused --db must never be created, modified or given companions' : 'query commands open the case read-only'})`);
      // Undo, so that the next command starts from the original state.
      for (const k of now.keys()) if (!original.has(k)) fs.rmSync(path.join(catDir('case'), k), { recursive: true, force: true });
      if (saved && now.get(base) !== original.get(base)) fs.writeFileSync(target, saved);
    }
    expect(record(`case ${i.name}`, [...v]), label(i)).toEqual([]);
  }, 120_000);

  it('db-inside-evidence: a case inside the evidence folder, ingested twice, is never evidence', () => {
    const i = byCategory('case').find((x) => x.name === 'db-inside-evidence')!;
    const dir = path.join(corpus, i.relPath);
    const db = path.join(dir, 'case.db');
    const v: string[] = [];
    for (const n of [1, 2]) {
      const r = run(`case: db-inside ingest ${n}`, ['ingest', dir, '--db', db, '--json'], RUN_TIMEOUT);
      const ab = abnormal(r);
      if (ab) v.push(`run ${n}: ${ab}`);
      else if (r.code !== 0) v.push(`run ${n}: exit ${r.code}, expected 0 (${describeRun(r)})`);
      const s = parseSummary(r);
      if (!s) v.push(`run ${n}: no JSON summary`);
      else {
        const own = s.problems.filter((p) => /case\.db/.test(p.file));
        if (own.length) v.push(`run ${n}: the case's own file is reported as evidence: ${short(own[0].file)}: ${short(own[0].message)}`);
        if (n === 2 && s.eventsAdded !== 0) v.push(`run 2 added ${s.eventsAdded} events, expected 0`);
      }
    }
    const cd = readCase(db);
    if (cd.error) v.push(cd.error);
    const own = cd.sources.filter((s) => /case\.db/.test(s.path));
    if (own.length) v.push(`the case lists its own file(s) as sources: ${own.map((s) => `${s.path} (${s.status})`).join(', ')}`);
    if (cd.eventCount !== i.expect.events) v.push(`${cd.eventCount} events, expected ${i.expect.events}`);
    expect(record('case db-inside-evidence', v), label(i)).toEqual([]);
  }, 180_000);
});
