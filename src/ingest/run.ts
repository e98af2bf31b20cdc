// The ingest coordinator: discover → parse in worker threads → write on this thread, in discovery order
// (so the same evidence always gives the same case), in batched synchronous transactions.

import os from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { openForIngest } from '../index/ingest-target.js';
import { CaseWriter, type SourceInput } from '../index/writer.js';
import { workerUrl } from '../sources/worker-url.js';
import { VERSION } from '../version.js';
import type { SourceKind } from '../model/types.js';
import { caseFiles, discover } from './discover.js';
import { parseFile, type FileJob, type FileMeta, type FileResult, type ParseOptions, type FileWarning } from './parse-file.js';
import { emptyBatch, type EventBatch } from '../model/event-batch.js';
import type { MainMessage, WorkerMessage } from './protocol.js';
import { EvidencePathError, NoEvidenceError } from '../model/errors.js';

export interface IngestOptions {
  dbPath: string;
  paths: string[];
  /** Parser threads; 0 parses on this thread. Default: min(2, cores). */
  workers?: number;
  embed?: boolean;
  maxDecompressed?: number;
  streamThreshold?: number;
  /**
   * A case that does not exist yet is built in bulk as CASE.building and moved into place when complete (default);
   * false writes it in place, file by file, as an existing case is (tests compare the two).
   */
  bulk?: boolean;
  /**
   * Files at least this large (bytes on disk) are read by all parser threads when they are NDJSON or one
   * `{"Records":[…]}` (docs/ingest.md#big-single-files). Default: the streaming threshold. Needs workers ≥ 2.
   */
  splitThreshold?: number;
  /** Decompressed bytes per chunk of a split file (default 4 MiB; tests use small ones). */
  splitChunkBytes?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Called for every skipped/failed file and every error-level warning, as it happens. */
  onProblem?: (p: IngestProblem) => void;
}

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  eventsAdded: number;
  elapsedMs: number;
}

export interface IngestProblem {
  file: string;
  recordIndex: number | null;
  code: string;
  message: string;
  severity: 'warning' | 'error';
}

/** The documented `ingest --json` summary (docs/json-output.md#ingest). */
export interface IngestSummary {
  case: string;
  runId: number;
  files: { total: number; byKind: Partial<Record<SourceKind, number>>; alreadyInCase: number; duplicates: number; skipped: number; failed: number };
  records: number;
  eventsAdded: number;
  duplicateOccurrences: number;
  conflicts: number;
  warnings: number;
  recordsSkipped: number;
  bytes: number;
  seconds: number;
  recoveredSources: number;
  /** The leftover CASE.building of an interrupted first ingest, discarded before this run built the case anew. */
  discardedBuild: string | null;
  problems: IngestProblem[];
  complete: boolean;
}

export const DEFAULTS = {
  maxDecompressed: 8 * 1024 * 1024 * 1024,
  streamThreshold: 64 * 1024 * 1024,
};

interface Pending {
  job: FileJob;
  meta?: FileMeta;
  parts: Array<{ events: EventBatch; blob: Buffer[]; ack: () => void }>;
  result?: FileResult;
  error?: string;
  sourceId?: number;
  eventsAdded: number;
}

const BATCH_EVENTS = 10_000;
const MAX_MESSAGE = 400;

/** Messages can quote evidence (keys, values, parser errors): a hostile file must not produce a 20 KB line. */
function capped(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}… (${message.length} characters)` : message;
}
const BATCH_BYTES = 64 * 1024 * 1024;

/** Input-level problems that make the whole run pointless (checked before the case is opened). */
const MISSING_INPUT: ReadonlySet<string> = new Set(['not_found', 'broken_symlink']);

export async function runIngest(opts: IngestOptions): Promise<IngestSummary> {
  const t0 = Date.now();
  const { jobs, problems: pathProblems } = await discover(opts.paths, { exclude: caseFiles(opts.dbPath) });
  // Every path given must exist before the case is opened: a typo must not leave a new, empty case behind.
  const missing = pathProblems.filter((p) => MISSING_INPUT.has(p.code) && opts.paths.includes(p.path));
  if (missing.length) {
    const list = missing.map((p) => `${p.path} (${p.message})`).join(', ');
    throw new EvidencePathError(`evidence path${missing.length > 1 ? 's' : ''} not found: ${list}; give existing files or directories (nothing was read, no case was written)`, missing.map((p) => p.path));
  }
  if (jobs.length === 0 && pathProblems.length === 0) {
    const what = opts.paths.length === 1 ? opts.paths[0] : `${opts.paths.join(', ')}`;
    throw new NoEvidenceError(`no files found in ${what}: nothing to ingest (no case was written); give the directory that holds the evidence (e.g. the copy of the trail bucket)`);
  }
  const target = openForIngest(opts.dbPath, { build: opts.bulk ?? true });
  const writer = new CaseWriter(target.db);
  writer.ensureIndexes();
  const recovered = writer.recover();
  const bulk = writer.beginBulk();
  const runId = writer.beginRun(VERSION, { paths: opts.paths, embed: opts.embed ?? true });
  const known = writer.knownSha256();
  const parseOpts: ParseOptions = {
    maxDecompressed: opts.maxDecompressed ?? DEFAULTS.maxDecompressed,
    streamThreshold: opts.streamThreshold ?? DEFAULTS.streamThreshold,
    embed: opts.embed ?? true,
    knownSha256: known,
    splitThreshold: opts.splitThreshold ?? opts.streamThreshold ?? DEFAULTS.streamThreshold,
    splitChunkBytes: opts.splitChunkBytes,
  };

  const summary: IngestSummary = {
    case: opts.dbPath, runId,
    files: { total: jobs.length, byKind: {}, alreadyInCase: 0, duplicates: 0, skipped: 0, failed: 0 },
    records: 0, eventsAdded: 0, duplicateOccurrences: 0, conflicts: 0, warnings: 0, recordsSkipped: 0, bytes: 0,
    seconds: 0, recoveredSources: recovered, discardedBuild: target.discarded, problems: [], complete: true,
  };
  const problem = (p: IngestProblem): void => {
    if (p.severity === 'error') summary.problems.push(p);
    opts.onProblem?.(p);
  };
  // What discovery did not turn into jobs (missing paths, FIFOs, links leaving the tree...): counted, stored, shown.
  for (const p of pathProblems) {
    const w = { recordIndex: null, code: p.code, message: capped(p.message), severity: p.severity ?? ('error' as const) };
    if (w.severity === 'error') {
      summary.complete = false;
      if (p.code === 'not_found' || p.code === 'unreadable') summary.files.failed++;
      else summary.files.skipped++;
    }
    writer.transaction(() => writer.addWarning(null, p.path, w));
    summary.warnings++;
    problem({ file: p.path, ...w });
  }

  const bytesTotal = 0;
  const progress: IngestProgress = { filesDone: 0, filesTotal: jobs.length, bytesDone: 0, bytesTotal, eventsAdded: 0, elapsedMs: 0 };
  const pending = new Map<number, Pending>();
  let head = 0;
  let batch: Pending[] = [];
  let batchEvents = 0;
  let batchBytes = 0;

  const sourceInput = (p: Pending): SourceInput => ({
    root: p.job.root, path: p.job.relPath, size: p.meta?.size ?? 0, sha256: p.meta?.sha256 ?? '',
    compression: p.meta?.compression ?? 'none', keyInfo: p.meta?.keyInfo ?? null,
  });

  const writeWarnings = (sourceId: number | null, file: string, ws: FileWarning[]): void => {
    for (const w of ws) {
      writer.addWarning(sourceId, file, w);
      summary.warnings++;
      if (w.severity === 'error') {
        summary.complete = false;
        summary.recordsSkipped += w.lost ?? 0;
      }
      problem({ file, ...w });
    }
  };

  /** Write a completed (non-streamed) file. Inside a transaction. */
  const writeComplete = (p: Pending): void => {
    const r = p.result!;
    if (r.reason) r.reason = capped(r.reason);
    const file = p.job.relPath;
    if (p.meta?.known) {
      summary.files.alreadyInCase++;
      if (writer.recordKnown(sourceInput(p))) summary.files.duplicates++;
      return;
    }
    const sid = p.sourceId ?? writer.beginSource(sourceInput(p));
    const warn = (w: FileWarning): void => writeWarnings(sid, file, [w]);
    if (r.events.count) p.eventsAdded += writer.addEvents(sid, r.events, warn);
    writer.addBlobPieces(sid, r.blob);
    writeWarnings(sid, file, r.warnings);
    writer.finishSource(sid, r, p.eventsAdded, r.blob.length > 0 || (p.sourceId !== undefined && r.blobFormat !== null));
    summary.records += r.recordCount;
    summary.bytes += p.meta?.size ?? 0;
    summary.files.byKind[r.kind] = (summary.files.byKind[r.kind] ?? 0) + 1;
    if (r.status === 'skipped') {
      summary.files.skipped++;
      summary.complete = false;
      const w = { recordIndex: null, code: 'skipped', message: capped(`skipped: ${r.reason}`), severity: 'error' as const };
      writer.addWarning(sid, file, w);
      summary.warnings++;
      problem({ file, ...w });
    } else if (r.status === 'failed') {
      summary.files.failed++;
      summary.complete = false;
      const w = { recordIndex: null, code: 'failed', message: capped(r.reason ?? 'failed'), severity: 'error' as const };
      writer.addWarning(sid, file, w);
      summary.warnings++;
      problem({ file, ...w });
    }
  };

  const flushBatch = (): void => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    batchEvents = 0;
    batchBytes = 0;
    writer.transaction(() => {
      for (const p of items) writeComplete(p);
    });
    for (const p of items) {
      progress.filesDone++;
      progress.bytesDone += p.meta?.size ?? 0;
    }
    progress.eventsAdded = writer.counters.eventsAdded;
    progress.elapsedMs = Date.now() - t0;
    opts.onProgress?.(progress);
  };

  /** Move the head of the queue forward as far as results allow. */
  const drain = (): void => {
    for (;;) {
      const p = pending.get(head);
      if (!p) return;
      // Streamed parts of the head file: each in its own transaction.
      if (p.parts.length > 0) {
        flushBatch();
        for (const part of p.parts.splice(0)) {
          writer.transaction(() => {
            if (p.sourceId === undefined) p.sourceId = writer.beginSource(sourceInput(p));
            const sid = p.sourceId;
            p.eventsAdded += writer.addEvents(sid, part.events, (w) => writeWarnings(sid, p.job.relPath, [w]));
            writer.addBlobPieces(sid, part.blob);
          });
          part.ack();
          progress.eventsAdded = writer.counters.eventsAdded;
          opts.onProgress?.({ ...progress, elapsedMs: Date.now() - t0 });
        }
      }
      if (p.error !== undefined) {
        p.result = { contentSha256: null, kind: 'skipped', status: 'failed', reason: `parser error: ${p.error}`, recordCount: 0, warnings: [], events: emptyBatch(), blob: [], blobFormat: null };
      }
      if (!p.result) return;
      if (p.sourceId !== undefined) {
        flushBatch();
        writer.transaction(() => writeComplete(p));
        progress.filesDone++;
      } else {
        batch.push(p);
        batchEvents += p.result.events.count;
        batchBytes += p.result.blob.reduce((n, b) => n + b.length, 0);
        if (batchEvents >= BATCH_EVENTS || batchBytes >= BATCH_BYTES || batch.length >= 500) flushBatch();
      }
      pending.delete(head);
      head++;
    }
  };

  const nWorkers = Math.max(0, opts.workers ?? Math.min(2, os.availableParallelism?.() ?? os.cpus().length));
  try {
    // Files are parsed in worker threads with bounded heaps, so one hostile file can only take itself down;
    // --workers 0 parses on this thread (debugging, tests).
    if (nWorkers === 0) {
      for (const job of jobs) {
        const p: Pending = { job, parts: [], eventsAdded: 0 };
        pending.set(job.seq, p);
        p.result = await parseFile(job, parseOpts, {
          meta: (m) => {
            p.meta = m;
          },
          part: (events, blob) =>
            new Promise<void>((resolve) => {
              p.parts.push({ events, blob, ack: resolve });
              drain();
            }),
        });
        drain();
      }
    } else {
      await runWithWorkers(jobs, nWorkers, parseOpts, pending, drain);
    }
    flushBatch();
    if (bulk) writer.ensureIndexes(true);
  } catch (err) {
    if (target.building) {
      // Nothing of a first ingest is kept when it fails: no half-built case under the case's name.
      target.abandon();
      throw err;
    }
    flushBatch();
    if (bulk) writer.ensureIndexes();
    writer.finishRun('failed', { error: (err as Error).message });
    target.abandon();
    throw err;
  }
  summary.eventsAdded = writer.counters.eventsAdded;
  summary.duplicateOccurrences = writer.counters.duplicates;
  summary.conflicts = writer.counters.conflicts;
  summary.seconds = (Date.now() - t0) / 1000;
  writer.finishRun('done', { ...summary, problems: summary.problems.length });
  target.complete();
  return summary;
}

/** What a parser thread is doing. */
interface Slot {
  worker: Worker;
  jobs: Map<number, FileJob>;
  /** Running a file retried alone after a thread died. */
  solo: boolean;
  lastError: string | null;
  retired: boolean;
}

/** A big file read by all parser threads: the thread that reads it and the threads that help. */
interface Split {
  reader: Slot;
  helpers: Slot[];
}

// A smaller young generation keeps the three isolates' peak under the 400 MB budget (measured: 32 MB gave ~395 MiB peak on
// the 1M-event bench evidence, 16 MB ~380 MiB) at no measurable cost: records are short-lived garbage either way.
const WORKER_LIMITS = { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 16 };

async function runWithWorkers(
  jobs: FileJob[],
  n: number,
  parseOpts: ParseOptions,
  pending: Map<number, Pending>,
  drain: () => void,
): Promise<void> {
  const url = workerUrl(import.meta.url, 'worker');
  const workerData = { ...parseOpts, knownSha256: undefined, knownSha256List: [...(parseOpts.knownSha256 ?? [])] };
  // Keep each worker well fed while the writer is inside a (synchronous) transaction: many small files in
  // flight, bounded by count and by bytes so large files don't pile up ahead of the writer.
  const maxFiles = n * 256;
  const maxBytes = 32 * 1024 * 1024;
  let bytesInFlight = 0;
  let next = 0;
  let done = 0;
  /** Files whose thread died while it held other files too: each is tried again alone. */
  const retry: FileJob[] = [];
  const slots: Slot[] = [];
  const splits = new Map<number, Split>();
  let settle: { resolve: () => void; reject: (e: unknown) => void } | null = null;

  const minPending = (): number => {
    let m = Infinity;
    for (const k of pending.keys()) if (k < m) m = k;
    return m === Infinity ? next : m;
  };
  const finishJob = (slot: Slot, seq: number): void => {
    const job = slot.jobs.get(seq);
    if (!job) return;
    slot.jobs.delete(seq);
    bytesInFlight -= job.size;
    done++;
  };
  const send = (slot: Slot, job: FileJob): void => {
    slot.jobs.set(job.seq, job);
    bytesInFlight += job.size;
    slot.worker.postMessage({ type: 'job', job } satisfies MainMessage);
  };
  const dispatch = (slot: Slot): void => {
    if (slot.retired || slot.solo) return;
    if (retry.length > 0) {
      if (slot.jobs.size === 0) {
        slot.solo = true;
        send(slot, retry.shift()!);
      }
      return;
    }
    // Keep a bounded window ahead of the writer's head so results don't pile up in memory.
    while (slot.jobs.size < 64 && next < jobs.length && next - minPending() < maxFiles && (bytesInFlight < maxBytes || next === minPending())) {
      const job = jobs[next++];
      pending.set(job.seq, { job, parts: [], eventsAdded: 0 });
      send(slot, job);
    }
  };
  const progress = (): void => {
    drain();
    if (done === jobs.length) settle?.resolve();
    else for (const s of slots) dispatch(s);
  };

  /** A thread died (out of memory, a crash): its files fail or are retried alone; a new thread takes its place. */
  const onDeath = (slot: Slot, why: string): void => {
    if (slot.retired) return;
    slot.retired = true;
    helperDied(splits, slot, why);
    const held = [...slot.jobs.values()];
    for (const job of held) {
      const p = pending.get(job.seq);
      const started = !!p && (p.parts.length > 0 || p.sourceId !== undefined);
      if (held.length === 1 || started || slot.solo) {
        finishJob(slot, job.seq);
        if (p) p.error = `the parser thread stopped while reading this file (${why}); the file is not (completely) ingested`;
      } else {
        slot.jobs.delete(job.seq);
        bytesInFlight -= job.size;
        if (p) p.meta = undefined;
        retry.push(job);
      }
    }
    retry.sort((a, b) => a.seq - b.seq);
    const idx = slots.indexOf(slot);
    slots[idx] = spawn();
    progress();
  };

  const spawn = (): Slot => {
    const worker = new Worker(url, { workerData, resourceLimits: WORKER_LIMITS });
    const slot: Slot = { worker, jobs: new Map(), solo: false, lastError: null, retired: false };
    worker.on('message', (msg: WorkerMessage) => {
      try {
        const p = pending.get(msg.seq);
        if (!p) return;
        if (msg.type === 'split' || msg.type === 'splitEnd') {
          splitMessage(splits, slots, slot, msg.type, msg.seq);
          return;
        }
        if (msg.type === 'meta') p.meta = msg.meta;
        else if (msg.type === 'part') {
          p.parts.push({ events: msg.events, blob: msg.blob.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)), ack: () => worker.postMessage({ type: 'ack', seq: msg.seq } satisfies MainMessage) });
        } else if (msg.type === 'result') {
          if (msg.meta) p.meta = msg.meta;
          p.result = { ...msg.result, blob: msg.result.blob.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)) };
          finishJob(slot, msg.seq);
          splits.delete(msg.seq);
          if (slot.solo && slot.jobs.size === 0) slot.solo = false;
        } else if (msg.type === 'error') {
          splits.delete(msg.seq);
          p.error = msg.message;
          finishJob(slot, msg.seq);
          if (slot.solo && slot.jobs.size === 0) slot.solo = false;
        }
        progress();
      } catch (err) {
        settle?.reject(err);
      }
    });
    worker.on('error', (err) => {
      slot.lastError = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory: the file needs more than the parser\'s bounded heap' : err.message;
    });
    worker.on('exit', (code) => {
      if (!slot.retired) onDeath(slot, slot.lastError ?? `exit code ${code}`);
    });
    return slot;
  };

  await new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
    for (let i = 0; i < n; i++) slots.push(spawn());
    if (jobs.length === 0) resolve();
    for (const s of slots) dispatch(s);
  }).finally(() =>
    Promise.all(
      slots.map((s) => {
        s.retired = true;
        return s.worker.terminate();
      }),
    ),
  );
}

/**
 * A parser thread asks to split file `seq` (it reads the file and hands chunks out): one MessageChannel to each
 * other live thread; or it says the split is over.
 */
function splitMessage(splits: Map<number, Split>, slots: Slot[], reader: Slot, type: 'split' | 'splitEnd', seq: number): void {
  if (type === 'splitEnd') {
    splits.delete(seq);
    return;
  }
  const ports: MessagePort[] = [];
  const helpers: Slot[] = [];
  for (const h of slots) {
    if (h === reader || h.retired) continue;
    const ch = new MessageChannel();
    h.worker.postMessage({ type: 'help', seq, port: ch.port2 } satisfies MainMessage, [ch.port2]);
    ports.push(ch.port1);
    helpers.push(h);
  }
  if (helpers.length > 0) splits.set(seq, { reader, helpers });
  reader.worker.postMessage({ type: 'helpers', seq, ports } satisfies MainMessage, ports);
}

/**
 * A thread that was helping to read a split file died while it held chunks of it: the file cannot be completed, so
 * its reading thread is stopped too and the file fails as when that thread dies (its other files are retried).
 */
function helperDied(splits: Map<number, Split>, dead: Slot, why: string): void {
  for (const [seq, sp] of [...splits]) {
    if (sp.reader === dead) {
      splits.delete(seq);
      continue;
    }
    if (!sp.helpers.includes(dead)) continue;
    splits.delete(seq);
    if (sp.reader.retired) continue;
    sp.reader.lastError = `a parser thread reading part of it stopped: ${why}`;
    void sp.reader.worker.terminate();
  }
}
