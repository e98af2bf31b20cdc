// Decompressed evidence bytes → classified records, for every file size: the bytes are pushed in chunks
// (one chunk holding a whole file, or a bounded stream) through one structural scanner (json-scanner.ts), one
// classifier and one key canonicaliser. Classification is by content (and the key path when there is one),
// never by extension alone. Nothing is dropped silently: every value that is not a readable event becomes a
// record with an `error`, and every structural problem a note.

import { isUtf8 } from 'node:buffer';
import { parse as parseCsv } from 'csv-parse/sync';
import type { CloudTrailRecord, SourceKind } from '../model/types.js';
import { JsonScanner, type ScanLimits, type ScannedValue } from './json-scanner.js';
import { csvRowToRecord, isCloudTrailCsvHeader } from './csv-map.js';

/** One record found in a file, with its exact original text when the file holds it verbatim. */
export interface RawRecord {
  index: number;
  record: CloudTrailRecord | null;
  /** The record's JSON text (the original bytes when offset is set). */
  text: string | null;
  offset: number | null;
  length: number | null;
  /** Only some fields are known (CSV). */
  partial: boolean;
  /** Why the record could not be read (record is null then). */
  error: string | null;
  /** Problem code when error is set. */
  code?: string;
}

export interface ReadNote {
  code: string;
  message: string;
  severity: 'warning' | 'error';
}

export interface ReadResult {
  kind: SourceKind;
  records: RawRecord[];
  /** File-level problems that did not stop the reading (truncation after record N, BOM...). */
  notes: ReadNote[];
  /** Set when the file is not evidence we ingest (kind 'skipped' or an integrity input). */
  skipReason: string | null;
}

/** Documented limits (docs/ingest.md#limits). */
export const READ_LIMITS: ScanLimits & { maxCsvBytes: number; maxPendingNonEvents: number } = {
  maxValueBytes: 4 * 1024 * 1024,
  maxDepth: 256,
  maxKeyBytes: 64 * 1024,
  maxCsvBytes: 512 * 1024 * 1024,
  maxPendingNonEvents: 1000,
};

const EVENT_KEYS = ['eventVersion', 'eventTime', 'eventName', 'eventSource', 'eventID', 'userIdentity', 'awsRegion', 'eventType'];

/** CloudTrail's top-level field names, to restore them when an export lower-cased the keys. */
const CANONICAL = new Map(
  [
    ...EVENT_KEYS, 'sourceIPAddress', 'userAgent', 'requestParameters', 'responseElements', 'additionalEventData', 'requestID',
    'readOnly', 'resources', 'recipientAccountId', 'serviceEventDetails', 'sharedEventID', 'vpcEndpointId', 'eventCategory',
    'managementEvent', 'errorCode', 'errorMessage', 'tlsDetails', 'sessionCredentialFromConsole', 'apiVersion', 'insightDetails',
  ].map((k) => [k.toLowerCase(), k]),
);
const EVENT_KEYS_LOWER = new Set(EVENT_KEYS.map((k) => k.toLowerCase()));
const DIGEST_KEYS = ['digestS3Object', 'digestStartTime', 'digestEndTime', 'logFiles'];

/** File-level test: do these keys look like a CloudTrail event (two or more of its core fields)? */
export function looksLikeEventKeys(keys: Iterable<string>): boolean {
  let n = 0;
  for (const k of keys) if (EVENT_KEYS_LOWER.has(k.toLowerCase())) n++;
  return n >= 2;
}

/**
 * Record-level test, inside a container already known to hold events: at least one core field.
 * Lower-cased exports (eventname, awsregion...) get CloudTrail's spelling back.
 */
export function asEvent(v: unknown): CloudTrailRecord | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const rec = v as CloudTrailRecord;
  let exact = 0;
  let folded = 0;
  for (const k of Object.keys(rec)) {
    if (EVENT_KEYS.includes(k)) exact++;
    else if (EVENT_KEYS_LOWER.has(k.toLowerCase())) folded++;
  }
  if (exact === 0 && folded === 0) return null;
  if (folded > 0) {
    const out: CloudTrailRecord = {};
    for (const [k, val] of Object.entries(rec)) {
      const canon = CANONICAL.get(k.toLowerCase());
      out[canon && !(canon in rec) ? canon : k] = val;
    }
    return out;
  }
  return rec;
}

/** Folder hint from a bucket key path. */
export type PathHint = 'CloudTrail' | 'CloudTrail-Digest' | 'CloudTrail-Insight' | null;

type Family = 'records' | 'lookup' | 'events';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const NOT_EVENT = 'not a CloudTrail event (no eventTime/eventName/eventSource/eventID/userIdentity fields)';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') {
    const keys = Object.keys(v as object)
      .slice(0, 8)
      .map((k) => (k.length > 40 ? `${k.slice(0, 40)}…` : k));
    return `an object (keys: ${keys.join(', ') || 'none'})`;
  }
  return `a ${typeof v}`;
}

/**
 * Push-based reader of one file's decompressed bytes. Records are handed to `onRecord` in file order as soon
 * as they are complete; `kind`, `notes` and `skipReason` are final after end().
 */
export class RecordReader {
  kind: SourceKind | null = null;
  skipReason: string | null = null;
  readonly notes: ReadNote[] = [];
  /** Records handed out (including unreadable ones). */
  count = 0;
  /** Records handed out that are events. */
  events = 0;

  private mode: 'start' | 'json' | 'csv' | 'done' = 'start';
  private pre: Buffer | null = null;
  private bomChecked = false;
  private readonly scanner: JsonScanner;
  private family: Family | null = null;
  private topValues = 0;
  /** What the first top-level value was, for the reason a non-CloudTrail file is skipped. */
  private firstTop: { what: string } | null = null;
  private pending: RawRecord[] = [];
  private pendingDropped = 0;
  private csvParts: Buffer[] = [];
  private csvBytes = 0;
  private noted = new Set<string>();
  private topArrayPages: boolean | null = null;
  private containers = 0;
  private utf8Noted = false;
  private mixedNoted = false;

  constructor(
    private readonly hint: PathHint,
    private readonly onRecord: (r: RawRecord) => void,
    private readonly limits = READ_LIMITS,
  ) {
    this.scanner = new JsonScanner(
      {
        containerKey: (key, keysSoFar, offset) => this.containerKey(key, keysSoFar, offset),
        value: (v) => this.value(v),
        topEnd: (envelope) => this.topEnd(envelope),
        error: (offset, message, fatal) => this.structureError(offset, message, fatal),
        note: (code, offset) => this.scanNote(code, offset),
      },
      limits,
    );
  }

  push(chunk: Buffer): void {
    if (this.mode === 'done' || chunk.length === 0) return;
    if (this.mode === 'start') {
      // A byte-order mark may arrive split across chunks: hold the first bytes until they can be told apart.
      if (this.pre !== null) {
        chunk = Buffer.concat([this.pre, chunk]);
        this.pre = null;
      }
      if (!this.bomChecked) {
        if (chunk.length < 3 && BOM.subarray(0, chunk.length).equals(chunk)) {
          this.pre = chunk;
          return;
        }
        this.bomChecked = true;
        if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
          this.note('bom', 'file starts with a UTF-8 byte-order mark (ignored)', 'warning');
          this.scanner.position += 3;
          chunk = chunk.subarray(3);
        }
      }
      let i = 0;
      while (i < chunk.length && (chunk[i] === 0x20 || chunk[i] === 0x0a || chunk[i] === 0x0d || chunk[i] === 0x09)) i++;
      if (i >= chunk.length) {
        this.scanner.position += chunk.length;
        return;
      }
      this.mode = chunk[i] === 0x7b || chunk[i] === 0x5b ? 'json' : 'csv';
      if (this.mode === 'json') {
        this.scanner.position += i;
        chunk = chunk.subarray(i);
      }
    }
    if (this.mode === 'json') {
      this.scanner.push(chunk);
      if (this.scanner.stopped && this.mode === 'json' && this.skipReason !== null) this.mode = 'done';
    } else if (this.mode === 'csv') {
      this.csvBytes += chunk.length;
      if (this.csvBytes > this.limits.maxCsvBytes) {
        this.csvParts = [];
        this.kind = 'skipped';
        this.skipReason = `not JSON, and larger than the CSV limit of ${this.limits.maxCsvBytes} bytes (split the CSV to ingest it)`;
        this.mode = 'done';
        return;
      }
      this.csvParts.push(chunk);
    }
  }

  end(): void {
    if (this.mode === 'start' && this.pre !== null) {
      const pre = this.pre;
      this.pre = null;
      this.bomChecked = true;
      this.push(pre);
    }
    if (this.mode === 'start') {
      this.kind = this.hint === 'CloudTrail-Insight' ? 'cloudtrail-insight' : 'cloudtrail-log';
      this.note('empty_file', 'file is empty (0 records)', 'error');
      this.mode = 'done';
      return;
    }
    if (this.mode === 'csv') {
      this.readCsv(Buffer.concat(this.csvParts));
      this.csvParts = [];
      this.mode = 'done';
      return;
    }
    if (this.mode === 'json') this.scanner.end();
    this.mode = 'done';
    if (this.skipReason !== null) return;
    if (this.events === 0 && this.family === null) {
      // Nothing in the file was CloudTrail: skip it as a whole (its values are not listed one by one).
      const first = this.firstTop;
      const broken = this.notes.find((n) => n.code === 'truncated_json');
      this.kind = 'skipped';
      this.skipReason = broken ? broken.message : first ? `JSON that is not CloudTrail (top-level value: ${first.what})` : 'JSON that is not CloudTrail';
      if (broken) this.notes.splice(this.notes.indexOf(broken), 1);
      this.pending = [];
      return;
    }
    this.flushPending();
    if (this.kind === null) this.kind = this.kindOf(this.family ?? 'events');
    if (this.count === 0) this.note('zero_records', 'file holds no records', 'error');
  }

  private note(code: string, message: string, severity: 'warning' | 'error'): void {
    this.notes.push({ code, message, severity });
  }

  private noteOnce(code: string, message: string, severity: 'warning' | 'error'): void {
    if (this.noted.has(code)) return;
    this.noted.add(code);
    this.note(code, message, severity);
  }

  private kindOf(f: Family): SourceKind {
    if (f === 'records') return this.hint === 'CloudTrail-Insight' ? 'cloudtrail-insight' : this.hint === 'CloudTrail' ? 'cloudtrail-log' : 'records-json';
    if (f === 'lookup') return 'lookup-events';
    return this.topValues > 1 ? 'ndjson' : 'event-json';
  }

  private setFamily(f: Family, offset: number): void {
    if (this.family === null) {
      this.family = f;
      this.kind = this.kindOf(f);
      return;
    }
    if (this.family !== f && !this.mixedNoted) {
      this.mixedNoted = true;
      this.note('mixed_documents', `a JSON document of another shape at byte ${offset} (${f} after ${this.family}): its records were read too`, 'error');
    }
  }

  private emit(r: RawRecord): void {
    r.index = this.count++;
    if (r.record) {
      if (this.events === 0) this.flushPending();
      this.events++;
      this.onRecord(r);
    } else if (this.events === 0 && this.family === null) {
      // Not yet known to be a CloudTrail file: hold non-events back (a file that never shows an event is
      // skipped as a whole instead of listing every value).
      if (this.pending.length < this.limits.maxPendingNonEvents) this.pending.push(r);
      else {
        this.pendingDropped++;
        this.kind = 'skipped';
        this.skipReason = `JSON that is not CloudTrail (the first ${this.limits.maxPendingNonEvents} values are not events)`;
        this.pending = [];
        this.scanner.stop();
      }
    } else {
      this.onRecord(r);
    }
  }

  private flushPending(): void {
    const p = this.pending;
    this.pending = [];
    for (const r of p) this.onRecord(r);
  }

  private containerKey(key: string, keysSoFar: readonly string[], offset: number): boolean {
    const k = key.toLowerCase();
    if (k !== 'records' && k !== 'events') return false;
    if (k === 'events' && looksLikeEventKeys(keysSoFar)) return false;
    if (this.containers > 0 && this.topValues === 0) {
      this.note('duplicate_records_key', `a second "${key}" array at byte ${offset} in the same object: its records were read too (JSON parsers keep only one of them; possible tampering)`, 'error');
    }
    this.containers++;
    this.setFamily(k === 'records' ? 'records' : 'lookup', offset);
    return true;
  }

  private topEnd(envelope: boolean): void {
    this.topValues++;
    this.containers = 0;
    if (envelope && this.topValues === 1) this.firstTop = { what: 'an envelope' };
    if (this.family === 'events' && this.kind !== null) this.kind = this.kindOf('events');
  }

  private structureError(offset: number, message: string, fatal: boolean): void {
    if (fatal) {
      this.note('truncated_json', `invalid or truncated JSON at byte ${offset}: ${message}; ${this.count} records before it were read, the rest of the file could not be`, 'error');
    }
  }

  private scanNote(code: string, offset: number): void {
    if (code === 'bom_mid_file') {
      if (offset === 0) this.noteOnce('bom', 'file starts with a UTF-8 byte-order mark (ignored)', 'warning');
      else this.note('bom_mid_file', `a UTF-8 byte-order mark at byte ${offset} between JSON documents (ignored; the file was probably concatenated)`, 'warning');
    }
  }

  private text(v: ScannedValue): string {
    const b = v.bytes!;
    if (!this.utf8Noted && !isUtf8(b)) {
      this.utf8Noted = true;
      this.note('invalid_utf8', `record at byte ${v.offset} is not valid UTF-8; invalid bytes were read as U+FFFD`, 'warning');
    }
    return b.toString('utf8');
  }

  private bad(v: ScannedValue, code: string, error: string, text: string | null = null): RawRecord {
    return { index: 0, record: null, text, offset: v.offset, length: v.length, partial: false, error, code };
  }

  private unreadable(v: ScannedValue): RawRecord | null {
    if (v.problem === 'too_large') return this.bad(v, 'record_too_large', `record of ${v.length} bytes is larger than the limit of ${this.limits.maxValueBytes} bytes`);
    if (v.problem === 'too_deep') return this.bad(v, 'record_too_deep', `record is nested deeper than ${this.limits.maxDepth} levels`);
    if (v.problem === 'broken_line') return this.bad(v, 'bad_record', `line at byte ${v.offset} is not complete JSON`);
    return null;
  }

  /** The value's text and parsed JSON, or the record that says why it cannot be read. */
  private read(v: ScannedValue): { text: string; parsed: unknown } | { bad: RawRecord; text: string | null } {
    const broken = this.unreadable(v);
    if (broken) return { bad: broken, text: null };
    const text = this.text(v);
    try {
      return { text, parsed: JSON.parse(text) as unknown };
    } catch (err) {
      return { bad: this.bad(v, 'bad_record', `invalid JSON: ${(err as Error).message}`, text), text };
    }
  }

  private value(v: ScannedValue): void {
    if (v.where === 'element') return this.element(v);
    // A whole top-level value (not an envelope).
    const isFirst = this.topValues === 0;
    const got = this.read(v);
    if ('bad' in got) {
      if (isFirst && this.family === null && v.problem !== 'broken_line') this.firstTop = { what: got.text === null ? `a value of ${v.length} bytes` : 'invalid JSON' };
      return this.emit(got.bad);
    }
    const { text, parsed } = got;
    if (isFirst && this.family === null && this.firstTop === null) {
      const keys = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : [];
      this.firstTop = { what: describe(parsed) };
      const integrity = this.integrityKind(parsed, keys, text);
      if (integrity) {
        this.kind = integrity.kind;
        this.skipReason = integrity.reason;
        this.scanner.stop();
        return;
      }
      // NDJSON: a one-line first value; from now on every value must end on its line.
      if (!v.bytes!.includes(0x0a)) this.scanner.lineMode = true;
    }
    const rec = asEvent(parsed);
    // The first event must look like one (two core fields); once the file is known to hold events, one will do.
    if (rec && (this.family === 'events' || looksLikeEventKeys(Object.keys(parsed as object)))) {
      this.setFamily('events', v.offset);
      return this.emit({ index: 0, record: rec, text, offset: v.offset, length: v.length, partial: false, error: null });
    }
    // A lookup-events page whose Events is not an array, or anything else.
    this.emit(this.bad(v, 'not_an_event', `top-level value at byte ${v.offset} is ${describe(parsed)}: ${NOT_EVENT}`, text));
  }

  private integrityKind(parsed: unknown, keys: string[], text: string): { kind: SourceKind; reason: string } | null {
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    if (keys.some((k) => DIGEST_KEYS.includes(k)) && keys.includes('logFiles')) {
      return { kind: 'cloudtrail-digest', reason: 'CloudTrail digest file (recorded for integrity verification, not events)' };
    }
    if (keys.includes('PublicKeyList') || keys.includes('publicKeyList')) {
      return { kind: 'public-keys', reason: 'CloudTrail public keys (list-public-keys output): input for trailhound verify, not events' };
    }
    // {"<s3 key>": {"signature": ...}} maps and head-object sidecars {"Metadata": {"signature": ...}}.
    const signed = /"signature"\s*:/.test(text.slice(0, 65536));
    if (signed && (keys.includes('Metadata') || (keys.length > 0 && keys.every((k) => k.includes('CloudTrail-Digest/'))))) {
      return { kind: 'digest-metadata', reason: 'saved S3 metadata of digest files (signatures): input for trailhound verify, not events' };
    }
    return null;
  }

  private element(v: ScannedValue): void {
    const got = this.read(v);
    if ('bad' in got) {
      if (v.container === '[' && this.family === null) this.setFamily('events', v.offset);
      return this.emit(got.bad);
    }
    const { text, parsed } = got;
    const container = v.container ?? '';
    if (container === '[') {
      // A top-level array: of lookup-events pages (pasted output), or of events.
      if (this.topArrayPages === null) {
        const o = parsed as Record<string, unknown> | null;
        this.topArrayPages = o !== null && typeof o === 'object' && !Array.isArray(o) && Array.isArray(o.Events) && !looksLikeEventKeys(Object.keys(o));
      }
      if (this.topArrayPages) {
        this.setFamily('lookup', v.offset);
        const entries = (parsed as { Events?: unknown } | null)?.Events;
        if (!Array.isArray(entries)) return this.emit(this.bad(v, 'bad_record', 'lookup-events page without an Events array', text));
        for (const e of entries) this.emit(lookupEntry(e));
        return;
      }
      this.setFamily('events', v.offset);
      const rec = asEvent(parsed);
      if (!rec) return this.emit(this.bad(v, 'not_an_event', `element is ${describe(parsed)}: ${NOT_EVENT}`, text));
      return this.emit({ index: 0, record: rec, text, offset: v.offset, length: v.length, partial: false, error: null });
    }
    if (container.toLowerCase() === 'events') return this.emit(lookupEntry(parsed));
    const rec = asEvent(parsed);
    if (!rec) return this.emit(this.bad(v, 'not_an_event', `element is ${describe(parsed)}: ${NOT_EVENT}`, text));
    this.emit({ index: 0, record: rec, text, offset: v.offset, length: v.length, partial: false, error: null });
  }

  private readCsv(content: Buffer): void {
    let rows: string[][];
    try {
      rows = parseCsv(content, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    } catch (err) {
      this.kind = 'skipped';
      this.skipReason = `neither JSON nor a readable CSV (${(err as Error).message})`;
      return;
    }
    if (rows.length === 0 || !isCloudTrailCsvHeader(rows[0])) {
      this.kind = 'skipped';
      this.skipReason = 'not JSON, and not a CSV with CloudTrail columns (need at least event name/time/ID columns)';
      return;
    }
    this.kind = 'console-csv';
    this.family = 'events';
    const header = rows[0];
    for (let i = 1; i < rows.length; i++) {
      const { record, partial, error } = csvRowToRecord(header, rows[i]);
      this.count++;
      if (record) this.events++;
      this.onRecord({ index: i - 1, record, text: record ? JSON.stringify(record) : null, offset: null, length: null, partial, error, code: error ? 'bad_record' : undefined });
    }
    if (rows.length === 1) this.note('zero_records', 'CSV has a header but no rows', 'error');
  }
}

/** A lookup-events entry: its CloudTrailEvent string is the event (else the entry itself, as insights output). */
function lookupEntry(entry: unknown): RawRecord {
  const base = { index: 0, offset: null, length: null, partial: false };
  const e = entry as Record<string, unknown> | null;
  if (e && typeof e === 'object' && typeof e.CloudTrailEvent === 'string') {
    try {
      const rec = JSON.parse(e.CloudTrailEvent) as unknown;
      if (rec === null || typeof rec !== 'object' || Array.isArray(rec) || !looksLikeEventKeys(Object.keys(rec))) {
        return { ...base, record: null, text: e.CloudTrailEvent, error: 'CloudTrailEvent is not a CloudTrail event', code: 'not_an_event' };
      }
      return { ...base, record: asEvent(rec), text: e.CloudTrailEvent, error: null };
    } catch (err) {
      return { ...base, record: null, text: e.CloudTrailEvent, error: `CloudTrailEvent is not valid JSON: ${(err as Error).message}`, code: 'bad_record' };
    }
  }
  if (e && typeof e === 'object' && !Array.isArray(e) && looksLikeEventKeys(Object.keys(e))) return { ...base, record: asEvent(e), text: JSON.stringify(e), error: null };
  return { ...base, record: null, text: null, error: 'lookup-events entry has no CloudTrailEvent', code: 'not_an_event' };
}

/** Read a whole decompressed file (in memory): the same reader, fed one chunk. */
export function readRecords(content: Buffer, hint: PathHint): ReadResult {
  const records: RawRecord[] = [];
  const reader = new RecordReader(hint, (r) => records.push(r));
  reader.push(content);
  reader.end();
  return { kind: reader.kind ?? 'skipped', records: reader.skipReason !== null ? [] : records, notes: reader.notes, skipReason: reader.skipReason };
}
