// One evidence file → hashes, classification, records, columns and resources. Runs in a worker thread
// (bounded heap) or, with --workers 0, in-process. Files are opened read-only and never written.
//
// One parser for every size: the decompressed bytes go through one RecordReader (sources/read-records.ts) and
// one toEvent; the only difference between a small and a large file is the feeder. Small files are read whole
// (gzip members decoded in memory) and fed in slices; files above the streaming threshold, or whose content is
// too large for memory, are read as a bounded stream; from the split threshold up, an NDJSON or `Records` file is
// read by all parser threads (split-file.ts), merged back into the same rows. Events are handed to the writer
// in parts (PART_EVENTS, or one per merged chunk), so memory stays bounded whatever the file holds. The records →
// events code itself is file-parser.ts.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { KeyPathInfo, SourceKind } from '../model/types.js';
import { fdReadStream, gunzipMembers, inflateFile, isGzip, settle, type GzipTail } from '../sources/gzip.js';
import { parseKeyPath, parseLogFileName } from '../sources/key-path.js';
import { emptyBatch, type EventBatch } from '../model/event-batch.js';
import { GzipError } from '../model/errors.js';
import { FileParser, type FileWarning } from './file-parser.js';
import { BlobPump } from './blob-pump.js';
import { SPLIT_CHUNK_BYTES, splitFeeder, type SplitHelpers } from './split-file.js';

export interface ParseOptions {
  /** Cap on decompressed bytes per file (gzip bombs). */
  maxDecompressed: number;
  /** Files larger than this (bytes on disk) are streamed. */
  streamThreshold: number;
  /** Keep the evidence bytes inside the case. */
  embed: boolean;
  /** SHA-256 (hex) of files already in the case: they are not parsed again. */
  knownSha256?: ReadonlySet<string>;
  /** Files at least this large (bytes on disk) are read by all parser threads when their shape allows (docs/ingest.md#big-single-files); absent: never. */
  splitThreshold?: number;
  /** Decompressed bytes per chunk of a split file (tests use small ones). */
  splitChunkBytes?: number;
}

export interface FileJob {
  seq: number;
  /** Size on disk at discovery (bytes), for scheduling. */
  size: number;
  absPath: string;
  relPath: string;
  root: string;
}

export type { FileWarning } from './file-parser.js';

export interface FileMeta {
  size: number;
  sha256: string;
  compression: 'gzip' | 'none';
  keyInfo: KeyPathInfo | null;
  /** The file was already ingested (same SHA-256): nothing else follows. */
  known: boolean;
}

/** Final result of a file. `events`/`blob` hold what was not already handed over in parts. */
export interface FileResult {
  contentSha256: string | null;
  kind: SourceKind;
  status: 'done' | 'skipped' | 'failed';
  reason: string | null;
  recordCount: number;
  warnings: FileWarning[];
  events: EventBatch;
  blob: Buffer[];
  blobFormat: 'file' | 'gzip' | null;
}

export interface FileSink {
  meta(meta: FileMeta): void;
  /** Parts of a large file: events in order, and blob pieces in order. */
  part(events: EventBatch, blob: Buffer[]): Promise<void> | void;
  /** Ports to the other parser threads, for reading chunks of a big file (absent or none: it is read here alone). */
  helpers?(): Promise<SplitHelpers>;
}

/** Decompressed size above which a small gzip file is re-read through the streaming feeder. */
const IN_MEMORY_MAX = 160 * 1024 * 1024;
const BLOB_PIECE = 8 * 1024 * 1024;
const READ_PIECE = 1024 * 1024;
/** Embedded bytes read (and compressed) ahead of the parts that carry them. */
const EMBED_AHEAD = 16 * 1024 * 1024;

function sha256hex(data: Uint8Array | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Process one file completely. Large files deliver events through sink.part; the result holds the rest. */
export async function parseFile(job: FileJob, opts: ParseOptions, sink: FileSink): Promise<FileResult> {
  const info = parseKeyPath(job.relPath);
  const early: FileWarning[] = [];
  const fail = (reason: string, kind: SourceKind = 'skipped'): FileResult => ({
    contentSha256: null, kind, status: 'failed', reason, recordCount: 0, warnings: early, events: emptyBatch(), blob: [], blobFormat: null,
  });
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO swapped in after discovery must not hang the run (it is refused below).
    fd = fs.openSync(job.absPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    sink.meta({ size: 0, sha256: '', compression: 'none', keyInfo: info, known: false });
    return fail(`cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      sink.meta({ size: 0, sha256: '', compression: 'none', keyInfo: info, known: false });
      return fail('not a regular file (a FIFO, socket or device): not read');
    }
    if (info) {
      const nm = parseLogFileName(path.posix.basename(job.relPath));
      if (nm && (nm.accountId !== info.accountId || nm.region !== info.region)) {
        early.push({ recordIndex: null, code: 'name_mismatch', message: `file name says account ${nm.accountId} region ${nm.region}, folders say ${info.accountId} ${info.region}`, severity: 'warning' });
      }
    }
    const split = opts.splitThreshold !== undefined && st.size >= opts.splitThreshold && sink.helpers !== undefined;
    if (st.size <= opts.streamThreshold && !split) {
      const r = await parseWhole(fd, st.size, info, opts, sink, early);
      if (r) return r;
    }
    return await parseStreamed(fd, st.size, info, opts, sink, early);
  } finally {
    fs.closeSync(fd);
  }
}

function readWhole(fd: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let off = 0;
  while (off < size) {
    const n = fs.readSync(fd, buf, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  return off === size ? buf : buf.subarray(0, off);
}

function known(sha256: string, opts: ParseOptions): FileResult | null {
  if (!(opts.knownSha256?.has(sha256) ?? false)) return null;
  return { contentSha256: null, kind: 'skipped', status: 'done', reason: 'already in the case', recordCount: 0, warnings: [], events: emptyBatch(), blob: [], blobFormat: null };
}

function finish(p: FileParser, early: FileWarning[], contentSha256: string | null, blob: Buffer[], blobFormat: 'file' | 'gzip' | null): FileResult {
  const reader = p.reader;
  const warnings = [...early, ...p.warnings.finish()];
  const kind = reader.kind ?? 'skipped';
  if (reader.skipReason !== null) {
    const integrityInput = kind === 'cloudtrail-digest' || kind === 'public-keys' || kind === 'digest-metadata';
    return {
      contentSha256, kind, status: integrityInput ? 'done' : 'skipped', reason: reader.skipReason, recordCount: 0,
      warnings: warnings.filter((w) => w.recordIndex === null), events: emptyBatch(), blob: integrityInput ? blob : [], blobFormat: integrityInput ? blobFormat : null,
    };
  }
  const gzFatal = warnings.find((w) => w.code.startsWith('gzip_') && w.severity === 'error' && reader.count === 0 && w.code !== 'gzip_trailing_data');
  if (gzFatal) return { contentSha256: null, kind: 'skipped', status: 'failed', reason: gzFatal.message.replace(/; 0 records before it were read.*$/, ''), recordCount: 0, warnings: warnings.filter((w) => w !== gzFatal), events: emptyBatch(), blob: [], blobFormat: null };
  return { contentSha256, kind, status: 'done', reason: null, recordCount: reader.count, warnings, events: p.state.out.take(), blob, blobFormat };
}

/** A small file, read whole. Returns null when it must go through the streaming feeder after all. */
async function parseWhole(fd: number, size: number, info: KeyPathInfo | null, opts: ParseOptions, sink: FileSink, early: FileWarning[]): Promise<FileResult | null> {
  const buf = readWhole(fd, size);
  const sha256 = sha256hex(buf);
  const gz = isGzip(buf);
  // A file already in the case is not decompressed at all (re-ingesting a tree of tens of thousands of files).
  if (opts.knownSha256?.has(sha256)) {
    sink.meta({ size: buf.length, sha256, compression: gz ? 'gzip' : 'none', keyInfo: info, known: true });
    return known(sha256, opts);
  }
  let members: Buffer[] = [];
  let tail: GzipTail | null = null;
  // A gzip whose trailer says it expands beyond what is read whole goes to the streaming feeder at once (the
  // trailer can lie: gunzipMembers is capped as well).
  if (gz && buf.length >= 18 && buf.readUInt32LE(buf.length - 4) > Math.min(opts.maxDecompressed, IN_MEMORY_MAX)) return null;
  if (gz) {
    try {
      tail = gunzipMembers(buf, Math.min(opts.maxDecompressed, IN_MEMORY_MAX), (d) => members.push(d));
    } catch (err) {
      // Too large for memory, truncated or corrupt: the streaming feeder reads what can be read and says where it stops.
      if (err instanceof GzipError) {
        members = [];
        return null;
      }
      throw err;
    }
  }
  const k = known(sha256, opts);
  sink.meta({ size: buf.length, sha256, compression: gz ? 'gzip' : 'none', keyInfo: info, known: k !== null });
  if (k) return k;
  const p = new FileParser(info, size, gz, async (events) => {
    await sink.part(events, []);
  });
  if (gz) for (let m = 0; m < members.length; m++) await p.feed(members[m], m);
  else await p.feed(buf);
  await p.end(tail);
  const blob = opts.embed ? (gz ? [buf] : [zlib.gzipSync(buf, { level: 1 })]) : [];
  return finish(p, early, gz ? p.contentSha256() : sha256, blob, opts.embed ? (gz ? 'file' : 'gzip') : null);
}

async function hashFd(fd: number): Promise<{ sha256: string; gz: boolean }> {
  const h = crypto.createHash('sha256');
  // One buffer used again: fresh memory per MiB costs page faults (seconds on a multi-GB file).
  const buf = Buffer.allocUnsafeSlow(READ_PIECE);
  let gz = false;
  for (let pos = 0; ; ) {
    const n = await readAt(fd, buf, pos);
    if (n === 0) break;
    if (pos === 0) gz = isGzip(buf.subarray(0, n));
    pos += n;
    h.update(buf.subarray(0, n));
  }
  return { sha256: h.digest('hex'), gz };
}

function readAt(fd: number, buf: Buffer, pos: number): Promise<number> {
  return new Promise<number>((resolve, reject) => fs.read(fd, buf, 0, buf.length, pos, (err, got) => (err ? reject(err) : resolve(got))));
}

/**
 * A plain file's bytes in order, 1 MB at a time: into one buffer used again while a splitter copies what it is
 * given (fresh memory costs page faults), else into fresh buffers (the reader keeps slices of what it is given).
 */
async function readPlain(fd: number, p: FileParser): Promise<void> {
  const reused = Buffer.allocUnsafeSlow(READ_PIECE);
  for (let pos = 0; ; ) {
    const buf = p.split ? reused : Buffer.allocUnsafe(READ_PIECE);
    const n = await readAt(fd, buf, pos);
    if (n === 0) return;
    pos += n;
    await p.feed(buf.subarray(0, n));
  }
}

/** A large file (or a small gzip whose content is too large for memory), as a bounded stream. */
async function parseStreamed(fd: number, size: number, info: KeyPathInfo | null, opts: ParseOptions, sink: FileSink, early: FileWarning[]): Promise<FileResult> {
  const { sha256, gz } = await hashFd(fd);
  const k = known(sha256, opts);
  sink.meta({ size, sha256, compression: gz ? 'gzip' : 'none', keyInfo: info, known: k !== null });
  if (k) return k;

  // Embedding: the file's own bytes when gzip, else a level-1 gzip of them (on libuv's thread pool), read ahead
  // beside the parsing; each part takes the pieces that are ready.
  const embedSrc = opts.embed ? fdReadStream(fd, 0, BLOB_PIECE) : null;
  const pump = embedSrc ? new BlobPump((gz ? embedSrc : embedSrc.pipe(zlib.createGzip({ level: 1, chunkSize: 1024 * 1024 })))[Symbol.asyncIterator](), EMBED_AHEAD) : null;
  const p = new FileParser(info, size, gz, async (events) => {
    await sink.part(events, pump ? pump.take() : []);
  });
  const helpers = sink.helpers;
  if (helpers && opts.splitThreshold !== undefined && size >= opts.splitThreshold) {
    splitFeeder(p, opts.splitChunkBytes ?? SPLIT_CHUNK_BYTES, () => helpers.call(sink));
  }
  let tail: GzipTail | null = null;
  try {
    if (gz) {
      tail = await inflateFile(fd, size, opts.maxDecompressed, (data, member) => p.feed(data, member));
    } else {
      await readPlain(fd, p);
    }
    await p.end(tail);
    // Remaining embedded pieces.
    const rest: Buffer[] = [];
    let restBytes = 0;
    for (;;) {
      const piece = pump ? await pump.next() : null;
      if (!piece) break;
      rest.push(piece);
      restBytes += piece.length;
      if (restBytes >= BLOB_PIECE * 4) {
        await sink.part(emptyBatch(), rest.splice(0));
        restBytes = 0;
      }
    }
    return finish(p, early, gz ? p.contentSha256() : sha256, rest, opts.embed ? (gz ? 'file' : 'gzip') : null);
  } finally {
    p.split?.abandon();
    // Before the caller closes the descriptor: no read may still be in flight.
    if (embedSrc) await settle(embedSrc);
  }
}
