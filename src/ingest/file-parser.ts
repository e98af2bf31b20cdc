// Records → events for one file: the per-record code every path shares (toEvent: JSON columns, resources,
// flags, content hash), the file's warnings (capped per code), and FileParser, the middle every feeder uses:
// decompressed bytes in, events out in parts. A big file read by several threads (split-file.ts) runs the same
// toEvent on its chunks elsewhere and merges them here, in file order, as if they had been read here.

import crypto from 'node:crypto';
import type { CloudTrailRecord, KeyPathInfo, SourceKind } from '../model/types.js';
import type { GzipTail } from '../sources/gzip.js';
import { RecordReader, type PathHint, type RawRecord, type ReadNote } from '../sources/read-records.js';
import { checkEventTime, extractColumns, hasOddFields } from '../sources/extract.js';
import { extractResources } from '../sources/resources.js';
import { EVENT_FLAGS } from '../model/event-columns.js';
import { EventBatchBuilder, N_INT, type EventBatch } from '../model/event-batch.js';

export interface FileWarning {
  recordIndex: number | null;
  code: string;
  message: string;
  severity: 'warning' | 'error';
  /** Records this warning says were not ingested (a summary line may stand for many). */
  lost?: number;
}

/** Events per part handed to the writer. */
export const PART_EVENTS = 5000;
/** Record-level warnings kept per code and file; the rest are summed up in one line. */
const WARNINGS_PER_CODE = 1000;
const SLICE = 8 * 1024 * 1024;
/** Codes of record warnings whose record was not ingested. */
const LOST_CODES = new Set(['bad_record', 'not_an_event', 'record_too_large', 'record_too_deep', 'record_error']);

/** Codes of the gzip problems that stop a file's reading. */
const GZIP_PROBLEMS = {
  truncated: { code: 'gzip_truncated', severity: 'error' },
  corrupt: { code: 'gzip_corrupt', severity: 'error' },
  too_large: { code: 'gzip_too_large', severity: 'error' },
  not_gzip: { code: 'gzip_not_gzip', severity: 'error' },
} as const;

export function hintOf(info: KeyPathInfo | null): PathHint {
  if (!info) return null;
  if (info.folder === 'CloudTrail' || info.folder === 'CloudTrail-Digest' || info.folder === 'CloudTrail-Insight') return info.folder;
  return null;
}

/** Record warnings of one code beyond the cap: how many, how many records lost, first and last index. */
export interface WarningOverflow {
  code: string;
  severity: 'warning' | 'error';
  more: number;
  lost: number;
  first: number;
  last: number;
}

/** Warnings of one file, with record-level ones capped per code (the rest summed up, never dropped). */
export class FileWarnings {
  readonly list: FileWarning[] = [];
  private perCode = new Map<string, { kept: number; more: number; lost: number; first: number; last: number; severity: 'warning' | 'error' }>();

  /** `truncate`: long messages are cut (off for a chunk of a split file: its messages are renumbered first). */
  constructor(private readonly truncate = true) {}

  add(w: FileWarning): void {
    if (this.truncate && w.message.length > 400) w = { ...w, message: `${w.message.slice(0, 400)}… (${w.message.length} characters)` };
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

  /** What went over the cap so far, per code (a chunk of a split file hands this to the file's own list). */
  overflow(): WarningOverflow[] {
    const out: WarningOverflow[] = [];
    for (const [code, c] of this.perCode) if (c.more > 0) out.push({ code, severity: c.severity, more: c.more, lost: c.lost, first: c.first, last: c.last });
    return out;
  }

  /** Add what went over the cap elsewhere (a chunk that kept the first WARNINGS_PER_CODE of this code). */
  addOverflow(o: WarningOverflow): void {
    let c = this.perCode.get(o.code);
    if (!c) {
      c = { kept: WARNINGS_PER_CODE, more: 0, lost: 0, first: o.first, last: o.last, severity: o.severity };
      this.perCode.set(o.code, c);
    }
    if (c.more === 0) c.first = o.first;
    c.more += o.more;
    c.lost += o.lost;
    c.last = o.last;
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

/** A chunk of a split file, read by parseChunk: indexes count from 0 at the chunk's first record. */
export interface ParsedChunk {
  id: number;
  offset: number;
  /** The chunk's bytes, handed back (read here after all when the chunk cannot be merged). */
  bytes: Uint8Array;
  /** False when the chunk reached a state that depends on more than the file's opening (a fatal JSON error...). */
  trusted: boolean;
  /** Records and top-level values read in the chunk. */
  count: number;
  values: number;
  events: EventBatch;
  warnings: FileWarning[];
  overflow: WarningOverflow[];
  notes: ReadNote[];
  altTime: number;
}

/** What a thread needs to read chunks of a split file: its opening bytes (read first, records not kept) and the file's context. */
export interface ChunkContext {
  primer: Uint8Array;
  info: KeyPathInfo | null;
  kind: SourceKind;
}

/** Reading one chunk of a split file exactly as the file's own reader would at that point, in steps. */
export class ChunkReading {
  private readonly warnings = new FileWarnings(false);
  private readonly st: EventState;
  private readonly reader: RecordReader;
  private readonly before: { values: number; lineMode: boolean; arrays: boolean };
  private readonly skipped: number;
  private at = 0;

  constructor(
    ctx: ChunkContext,
    private readonly id: number,
    private readonly offset: number,
    private readonly bytes: Uint8Array,
  ) {
    const st: EventState = { kind: ctx.kind, info: ctx.info, warnings: this.warnings, checked: { account: false, region: false }, out: new EventBatchBuilder(), altTime: 0 };
    this.st = st;
    let priming = true;
    this.reader = new RecordReader(hintOf(ctx.info), (raw) => {
      if (!priming) toEvent(raw, st);
    });
    this.reader.push(Buffer.from(ctx.primer.buffer, ctx.primer.byteOffset, ctx.primer.byteLength));
    priming = false;
    this.before = this.reader.splitState();
    this.skipped = this.reader.notes.length;
    this.reader.continueAt(offset, 0, this.before.values);
  }

  /** Read up to `maxBytes` more; true when the chunk is read. */
  step(maxBytes: number): boolean {
    const end = Math.min(this.bytes.byteLength, this.at + maxBytes);
    this.reader.push(Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.at, end - this.at));
    this.at = end;
    return end >= this.bytes.byteLength;
  }

  result(): ParsedChunk {
    const { reader, before, st, warnings } = this;
    const after = reader.splitState();
    const notes = reader.notes.slice(this.skipped);
    const trusted = reader.skipReason === null && !notes.some((n) => n.code === 'truncated_json') && after.arrays === before.arrays && after.lineMode === before.lineMode;
    return {
      id: this.id, offset: this.offset, bytes: this.bytes, trusted, count: reader.count, values: after.values - before.values, events: st.out.take(),
      warnings: warnings.list, overflow: warnings.overflow(), notes, altTime: st.altTime,
    };
  }
}

/** Read one chunk of a split file at once (a helping thread). */
export function parseChunk(ctx: ChunkContext, id: number, offset: number, bytes: Uint8Array): ParsedChunk {
  const r = new ChunkReading(ctx, id, offset, bytes);
  r.step(Infinity);
  return r.result();
}

/** File-level notes the reader makes once per file (a split file's chunks may each make them). */
const ONCE_NOTES = new Set(['invalid_utf8', 'mixed_documents']);

/** The shared middle: decompressed chunks in, events out in parts. */
export class FileParser {
  readonly warnings = new FileWarnings();
  readonly reader: RecordReader;
  readonly state: EventState;
  private readonly firstMember = crypto.createHash('sha256');
  private member = 0;
  memberStarts: number[] = [0];
  /** Set while a split file's chunks are read by other threads (split-file.ts); it detaches itself when done. */
  split: { push(data: Buffer): Promise<void>; finish(): Promise<void>; abandon(): void } | null = null;

  constructor(
    info: KeyPathInfo | null,
    private readonly size: number,
    private readonly gz: boolean,
    readonly part: (events: EventBatch) => Promise<void>,
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
      // Every record before the member boundary is counted first.
      if (this.split) await this.split.finish();
      this.member = member;
      this.memberStarts.push(this.reader.count);
    }
    if (member === 0 && this.gz) this.firstMember.update(data);
    if (this.split) await this.split.push(data);
    else await this.feedHere(data);
  }

  /** Read bytes on this thread. */
  async feedHere(data: Buffer): Promise<void> {
    for (let at = 0; at < data.length; at += SLICE) {
      this.reader.push(data.subarray(at, Math.min(data.length, at + SLICE)));
      if (this.state.out.count >= PART_EVENTS) await this.part(this.state.out.take());
    }
  }

  contentSha256(): string {
    return this.firstMember.digest('hex');
  }

  /** A chunk read by another thread, next in file order: its events and warnings as if read here. */
  async mergeChunk(c: ParsedChunk): Promise<void> {
    const base = this.reader.count;
    const ints = c.events.ints;
    for (let i = 0; i < c.events.count; i++) ints[i * N_INT] += base;
    const { checked } = this.state;
    for (const w of c.warnings) {
      if (w.code === 'account_mismatch' || w.code === 'region_mismatch') {
        const which = w.code === 'account_mismatch' ? 'account' : 'region';
        if (checked[which]) continue;
        checked[which] = true;
      }
      const local = w.recordIndex!;
      const prefix = `record ${local}`;
      const message = w.message.startsWith(prefix) ? `record ${local + base}${w.message.slice(prefix.length)}` : w.message;
      this.warnings.add({ ...w, recordIndex: local + base, message });
    }
    for (const o of c.overflow) this.warnings.addOverflow({ ...o, first: o.first + base, last: o.last + base });
    this.reader.notes.push(...c.notes);
    this.state.altTime += c.altTime;
    if (this.state.out.count > 0) await this.part(this.state.out.take());
    if (c.events.count > 0) await this.part(c.events);
    this.reader.continueAt(c.offset + c.bytes.byteLength, base + c.count, this.reader.splitState().values + c.values);
  }

  /** End of input: notes, gzip tail, kind. */
  async end(tail: GzipTail | null): Promise<void> {
    if (this.split) await this.split.finish();
    this.reader.end();
    const once = new Set<string>();
    for (const n of this.reader.notes) {
      if (ONCE_NOTES.has(n.code)) {
        if (once.has(n.code)) continue;
        once.add(n.code);
      }
      this.warnings.add({ recordIndex: null, ...n });
    }
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
