// One evidence file → hashes, classification, records, columns and resources. Runs in a worker thread
// (bounded heap) or, with --workers 0, in-process. Files are opened read-only and never written.
//
// One parser for every size: the decompressed bytes go through one RecordReader (sources/read-records.ts) and
// one toEvent; the only difference between a small and a large file is the feeder. Small files are read whole
// (gzip members decoded in memory) and fed in slices; files above the streaming threshold, or whose content is
// too large for memory, are read as a bounded stream. Events are handed to the writer in parts of at most
// PART_EVENTS, so memory stays bounded whatever the file holds.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { CloudTrailRecord, KeyPathInfo, SourceKind } from '../model/types.js';
import { fdReadStream, gunzipMembers, inflateFile, isGzip, settle, type GzipTail } from '../sources/gzip.js';
import { parseKeyPath, parseLogFileName } from '../sources/key-path.js';
import { RecordReader, type PathHint, type RawRecord } from '../sources/read-records.js';
import { checkEventTime, extractColumns, hasOddFields } from '../sources/extract.js';
import { extractResources } from '../sources/resources.js';
import { EVENT_FLAGS } from '../model/event-columns.js';
import { EventBatchBuilder, emptyBatch, type EventBatch } from '../model/event-batch.js';
import { GzipError } from '../model/errors.js';

export interface ParseOptions {
  /** Cap on decompressed bytes per file (gzip bombs). */
  maxDecompressed: number;
  /** Files larger than this (bytes on disk) are streamed. */
  streamThreshold: number;
  /** Keep the evidence bytes inside the case. */
  embed: boolean;
  /** SHA-256 (hex) of files already in the case: they are not parsed again. */
  knownSha256?: ReadonlySet<string>;
}

export interface FileJob {
  seq: number;
  /** Size on disk at discovery (bytes), for scheduling. */
  size: number;
  absPath: string;
  relPath: string;
  root: string;
}

export interface FileWarning {
  recordIndex: number | null;
  code: string;
  message: string;
  severity: 'warning' | 'error';
  /** Records this warning says were not ingested (a summary line may stand for many). */
  lost?: number;
}

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
}

/** Decompressed size above which a small gzip file is re-read through the streaming feeder. */
const IN_MEMORY_MAX = 160 * 1024 * 1024;
/** Events per part handed to the writer. */
const PART_EVENTS = 5000;
/** Record-level warnings kept per code and file; the rest are summed up in one line. */
const WARNINGS_PER_CODE = 1000;
const SLICE = 8 * 1024 * 1024;
const BLOB_PIECE = 8 * 1024 * 1024;
/** Codes of record warnings whose record was not ingested. */
const LOST_CODES = new Set(['bad_record', 'not_an_event', 'record_too_large', 'record_too_deep', 'record_error']);

/** Codes of the gzip problems that stop a file's reading. */
const GZIP_PROBLEMS = {
  truncated: { code: 'gzip_truncated', severity: 'error' },
  corrupt: { code: 'gzip_corrupt', severity: 'error' },
  too_large: { code: 'gzip_too_large', severity: 'error' },
  not_gzip: { code: 'gzip_not_gzip', severity: 'error' },
} as const;

function hintOf(info: KeyPathInfo | null): PathHint {
  if (!info) return null;
  if (info.folder === 'CloudTrail' || info.folder === 'CloudTrail-Digest' || info.folder === 'CloudTrail-Insight') return info.folder;
  return null;
}

function sha256hex(data: Uint8Array | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Warnings of one file, with record-level ones capped per code (the rest summed up, never dropped). */
class FileWarnings {
  readonly list: FileWarning[] = [];
  private perCode = new Map<string, { kept: number; more: number; lost: number; first: number; last: number; severity: 'warning' | 'error' }>();

  add(w: FileWarning): void {
    if (w.message.length > 400) w = { ...w, message: `${w.message.slice(0, 400)}… (${w.message.length} characters)` };
    if (w.lost === undefined && w.recordIndex !== null && LOST_CODES.has(w.code)) w.lost = 1;
    if (w.recordIndex === null) {
      this.list.push(w);
      return;
    }
    let c = this.perCode.get(w.code);
    if (!c) {
      c = { kept: 0, more: 0, lost: 0, first: w.recordIndex, last: w.recordIndex, severity: w.severity };
      this.perCode.set(w.code, c);
    }
    if (c.kept < WARNINGS_PER_CODE) {
      c.kept++;
      this.list.push(w);
      return;
    }
    if (c.more === 0) c.first = w.recordIndex;
    c.more++;
    c.lost += w.lost ?? 0;
    c.last = w.recordIndex;
  }

  /** Summary lines for what went over the cap. */
  finish(): FileWarning[] {
    for (const [code, c] of this.perCode) {
      if (c.more === 0) continue;
      this.list.push({ recordIndex: c.first, code, severity: c.severity, lost: c.lost, message: `${c.more} more records (indexes ${c.first}..${c.last}) with the same problem (${code}); only the first ${WARNINGS_PER_CODE} are listed one by one` });
    }
    this.perCode.clear();
    return this.list;
  }
}

/** Per-file state of turning records into events. */
interface EventState {
  kind: SourceKind;
  info: KeyPathInfo | null;
  warnings: FileWarnings;
  checked: { account: boolean; region: boolean };
  out: EventBatchBuilder;
  altTime: number;
}

/** Turn one raw record into an event row, or a warning. Never throws: a record is a problem, not the end of the file. */
function toEvent(raw: RawRecord, st: EventState): boolean {
  const { warnings } = st;
  if (!raw.record) {
    warnings.add({ recordIndex: raw.index, code: raw.code ?? 'bad_record', message: `record ${raw.index}: ${raw.error ?? 'unreadable'}; skipped`, severity: 'error' });
    return false;
  }
  try {
    return addEvent(raw, raw.record, st);
  } catch (err) {
    warnings.add({ recordIndex: raw.index, code: 'record_error', message: `record ${raw.index} could not be read (${(err as Error).message}); skipped`, severity: 'error' });
    return false;
  }
}

function addEvent(raw: RawRecord, rec: CloudTrailRecord, st: EventState): boolean {
  const { warnings, info, kind, checked, out } = st;
  // Content identity is over the parsed record re-serialised (key order kept): the same event delivered
  // as S3 log bytes, as a lookup-events CloudTrailEvent string or pretty-printed hashes the same.
  const hash = crypto.hash('sha256', JSON.stringify(rec), 'buffer') as unknown as Buffer;
  let flags = raw.partial ? EVENT_FLAGS.partial : 0;
  if (kind === 'cloudtrail-insight' || rec.eventType === 'AwsCloudTrailInsight') flags |= EVENT_FLAGS.insight;
  if (hasOddFields(rec)) flags |= EVENT_FLAGS.oddFields;
  let eventId = typeof rec.eventID === 'string' && rec.eventID !== '' ? rec.eventID : null;
  if (!eventId) {
    eventId = `trailhound:${hash.toString('hex', 0, 16)}`;
    flags |= EVENT_FLAGS.syntheticId;
    warnings.add({ recordIndex: raw.index, code: 'no_event_id', message: `record ${raw.index} has no eventID; using ${eventId} (derived from its content)`, severity: 'warning' });
  }
  const checkedTime = checkEventTime(rec.eventTime);
  let time = checkedTime.ms;
  const problem = checkedTime.problem;
  if (time === null) {
    // SIEM re-exports (Elastic, OpenSearch) carry the time as @timestamp: accepted, and the event marked.
    const alt = checkEventTime(rec['@timestamp']);
    if (alt.ms !== null) {
      time = alt.ms;
      flags |= EVENT_FLAGS.altTime;
      st.altTime++;
    } else {
      flags |= EVENT_FLAGS.noTime;
      warnings.add({ recordIndex: raw.index, code: 'no_event_time', message: `record ${raw.index} (${eventId}) has no usable eventTime (${problem}); kept without a time: time filters will not find it`, severity: 'error' });
    }
  }
  if (info && (kind === 'cloudtrail-log' || kind === 'cloudtrail-insight')) {
    if (!checked.account && typeof rec.recipientAccountId === 'string' && rec.recipientAccountId !== info.accountId) {
      checked.account = true;
      warnings.add({ recordIndex: raw.index, code: 'account_mismatch', message: `record ${raw.index}: recipientAccountId ${rec.recipientAccountId.slice(0, 64)} differs from the account ${info.accountId} in the key path`, severity: 'warning' });
    }
    if (!checked.region && typeof rec.awsRegion === 'string' && rec.awsRegion !== info.region) {
      checked.region = true;
      warnings.add({ recordIndex: raw.index, code: 'region_mismatch', message: `record ${raw.index}: awsRegion ${rec.awsRegion.slice(0, 64)} differs from the region ${info.region} in the key path`, severity: 'warning' });
    }
  }
  const cols = extractColumns(rec, eventId, time);
  let resources: ReadonlyArray<{ type: string; name: string }> = [];
  try {
    resources = extractResources(rec);
  } catch (err) {
    warnings.add({ recordIndex: raw.index, code: 'resource_extraction', message: `record ${raw.index}: resources could not be read (${(err as Error).message})`, severity: 'warning' });
  }
  out.add(cols, { index: raw.index, offset: raw.offset, length: raw.length, flags, hash }, resources);
  return true;
}

/** The shared middle: decompressed chunks in, events out in parts. */
class FileParser {
  readonly warnings = new FileWarnings();
  readonly reader: RecordReader;
  readonly state: EventState;
  private readonly firstMember = crypto.createHash('sha256');
  private member = 0;
  memberStarts: number[] = [0];

  constructor(
    info: KeyPathInfo | null,
    private readonly size: number,
    private readonly gz: boolean,
    private readonly part: (events: EventBatch) => Promise<void>,
  ) {
    this.state = { kind: 'skipped', info, warnings: this.warnings, checked: { account: false, region: false }, out: new EventBatchBuilder(), altTime: 0 };
    this.reader = new RecordReader(hintOf(info), (raw) => {
      if (this.state.kind === 'skipped' && this.reader.kind) this.state.kind = this.reader.kind;
      toEvent(raw, this.state);
    });
  }

  /** Feed decompressed bytes of gzip member `member` (0 for plain files), in bounded slices. */
  async feed(data: Buffer, member = 0): Promise<void> {
    if (member !== this.member) {
      this.member = member;
      this.memberStarts.push(this.reader.count);
    }
    if (member === 0 && this.gz) this.firstMember.update(data);
    for (let at = 0; at < data.length; at += SLICE) {
      this.reader.push(data.subarray(at, Math.min(data.length, at + SLICE)));
      if (this.state.out.count >= PART_EVENTS) await this.part(this.state.out.take());
    }
  }

  contentSha256(): string {
    return this.firstMember.digest('hex');
  }

  /** End of input: notes, gzip tail, kind. */
  end(tail: GzipTail | null): void {
    this.reader.end();
    for (const n of this.reader.notes) this.warnings.add({ recordIndex: null, ...n });
    if (this.state.altTime > 0) {
      this.warnings.add({ recordIndex: null, code: 'time_from_alt_field', message: `${this.state.altTime} records have no usable eventTime; their time was taken from @timestamp (a SIEM re-export) and they are marked`, severity: 'warning' });
    }
    if (!tail) return;
    if (tail.members > 1) {
      this.warnings.add({
        recordIndex: null,
        code: 'gzip_multiple_members',
        message: `file holds ${tail.members} gzip members (CloudTrail writes one); the ${this.size - tail.firstMemberBytes} bytes after the first member hold records ${this.memberStarts[1] ?? this.reader.count}.., which CloudTrail's digest does not cover: read, but possible tampering`,
        severity: 'error',
      });
    }
    if (tail.trailingBytes > 0) {
      this.warnings.add(
        tail.trailingIsZeros
          ? { recordIndex: null, code: 'gzip_trailing_data', message: `${tail.trailingBytes} zero bytes after the gzip data (padding): ignored`, severity: 'warning' }
          : { recordIndex: null, code: 'gzip_trailing_data', message: `${tail.trailingBytes} bytes of non-gzip data after the last gzip member: not read (possible tampering)`, severity: 'error' },
      );
    }
    if (tail.error) {
      const message = `${tail.error.message}; ${this.reader.count} records before it were read, the rest of the file could not be`;
      this.warnings.add({ ...GZIP_PROBLEMS[tail.error.code], recordIndex: null, message });
    }
  }
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
    if (st.size <= opts.streamThreshold) {
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
  p.end(tail);
  const blob = opts.embed ? (gz ? [buf] : [zlib.gzipSync(buf, { level: 1 })]) : [];
  return finish(p, early, gz ? p.contentSha256() : sha256, blob, opts.embed ? (gz ? 'file' : 'gzip') : null);
}

async function hashFd(fd: number): Promise<{ sha256: string; gz: boolean }> {
  const h = crypto.createHash('sha256');
  let first: Buffer | null = null;
  const src = fdReadStream(fd, 0, 1024 * 1024);
  try {
    for await (const chunk of src) {
      if (!first) first = chunk as Buffer;
      h.update(chunk as Buffer);
    }
  } finally {
    await settle(src);
  }
  return { sha256: h.digest('hex'), gz: !!first && isGzip(first) };
}

/** A large file (or a small gzip whose content is too large for memory), as a bounded stream. */
async function parseStreamed(fd: number, size: number, info: KeyPathInfo | null, opts: ParseOptions, sink: FileSink, early: FileWarning[]): Promise<FileResult> {
  const { sha256, gz } = await hashFd(fd);
  const k = known(sha256, opts);
  sink.meta({ size, sha256, compression: gz ? 'gzip' : 'none', keyInfo: info, known: k !== null });
  if (k) return k;

  // Embedding: the file's own bytes when gzip, else a level-1 gzip of them, in pieces interleaved with parsing.
  const embedSrc = opts.embed ? fdReadStream(fd, 0, BLOB_PIECE) : null;
  const embedIter = embedSrc ? (gz ? embedSrc : embedSrc.pipe(zlib.createGzip({ level: 1, chunkSize: 1024 * 1024 })))[Symbol.asyncIterator]() : null;
  const nextPiece = async (): Promise<Buffer[]> => {
    if (!embedIter) return [];
    const next = await embedIter.next();
    return next.done ? [] : [next.value as Buffer];
  };
  const p = new FileParser(info, size, gz, async (events) => {
    await sink.part(events, await nextPiece());
  });
  let tail: GzipTail | null = null;
  try {
    if (gz) {
      tail = await inflateFile(fd, size, opts.maxDecompressed, (data, member) => p.feed(data, member));
    } else {
      const src = fdReadStream(fd, 0, 1024 * 1024);
      try {
        for await (const chunk of src) await p.feed(chunk as Buffer);
      } finally {
        await settle(src);
      }
    }
    p.end(tail);
    // Remaining embedded pieces.
    const rest: Buffer[] = [];
    let restBytes = 0;
    for (;;) {
      const piece = await nextPiece();
      if (piece.length === 0) break;
      rest.push(...piece);
      restBytes += piece[0].length;
      if (restBytes >= BLOB_PIECE * 4) {
        await sink.part(emptyBatch(), rest.splice(0));
        restBytes = 0;
      }
    }
    return finish(p, early, gz ? p.contentSha256() : sha256, rest, opts.embed ? (gz ? 'file' : 'gzip') : null);
  } finally {
    // Before the caller closes the descriptor: no read may still be in flight.
    if (embedSrc) await settle(embedSrc);
  }
}
