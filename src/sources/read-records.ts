// Decompressed evidence bytes → classified records, for every file size: the bytes are pushed in chunks
// (one chunk holding a whole file, or a bounded stream) through one structural scanner (json-scanner.ts); the
// evidence formats of the registry (formats/registry.ts), asked in order, classify what the scanner finds and
// map it to records. Classification is by content (and the key path when there is one), never by extension
// alone. Nothing is dropped silently: every value that is not a readable event becomes a record with an
// `error`, and every structural problem a note.

import { isUtf8 } from 'node:buffer';
import type { SourceKind } from '../model/types.js';
import { JsonScanner, type ScanLimits, type ScannedValue } from './json-scanner.js';
import type { EvidenceFormat, JsonFormat, KindContext, Located, PathHint, RawRecord, ReadNote, TextFormat } from './formats/format.js';
import { describe, NOT_EVENT } from './formats/event-shape.js';
import { evidenceFormats } from './formats/registry.js';

export type { PathHint, RawRecord, ReadNote } from './formats/format.js';

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

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const asList = (r: RawRecord | RawRecord[]): RawRecord[] => (Array.isArray(r) ? r : [r]);

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
  /** The format the file reads as (the first one that claimed a value). */
  private format: JsonFormat | null = null;
  /** The format that claimed the container being read. */
  private containerFormat: JsonFormat | null = null;
  /** The format of the file's top-level arrays, decided on the first readable element. */
  private arrayFormat: JsonFormat | null = null;
  private readonly jsonFormats: JsonFormat[];
  private readonly textFormats: TextFormat[];
  private topValues = 0;
  /** What the first top-level value was, for the reason a non-CloudTrail file is skipped. */
  private firstTop: { what: string } | null = null;
  private pending: RawRecord[] = [];
  private pendingDropped = 0;
  private csvParts: Buffer[] = [];
  private csvBytes = 0;
  private noted = new Set<string>();
  private containers = 0;
  private utf8Noted = false;
  private mixedNoted = false;

  constructor(
    private readonly hint: PathHint,
    private readonly onRecord: (r: RawRecord) => void,
    private readonly limits = READ_LIMITS,
    formats: readonly EvidenceFormat[] = evidenceFormats(),
  ) {
    this.jsonFormats = formats.filter((f): f is JsonFormat => f.syntax === 'json');
    this.textFormats = formats.filter((f): f is TextFormat => f.syntax === 'text');
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
      this.readText(Buffer.concat(this.csvParts));
      this.csvParts = [];
      this.mode = 'done';
      return;
    }
    if (this.mode === 'json') this.scanner.end();
    this.mode = 'done';
    if (this.skipReason !== null) return;
    if (this.events === 0 && this.format === null) {
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
    if (this.kind === null && this.format !== null) this.kind = this.format.kind(this.ctx());
    if (this.count === 0) this.note('zero_records', 'file holds no records', 'error');
  }

  /**
   * Big files read by several threads (ingest/split-file.ts): top-level values read so far, whether NDJSON line
   * mode is on, and whether a top-level array's element format was decided (that happens once per file).
   */
  splitState(): { values: number; lineMode: boolean; arrays: boolean } {
    return { values: this.topValues, lineMode: this.scanner.lineMode, arrays: this.arrayFormat !== null };
  }

  /** Big files read by several threads: carry on at byte `position` as if `count` records and `values` top-level values were read. */
  continueAt(position: number, count: number, values: number): void {
    this.scanner.position = position;
    this.count = count;
    this.topValues = values;
  }

  private note(code: string, message: string, severity: 'warning' | 'error'): void {
    this.notes.push({ code, message, severity });
  }

  private noteOnce(code: string, message: string, severity: 'warning' | 'error'): void {
    if (this.noted.has(code)) return;
    this.noted.add(code);
    this.note(code, message, severity);
  }

  private ctx(): KindContext {
    return { hint: this.hint, topValues: this.topValues };
  }

  private setFormat(f: JsonFormat, offset: number): void {
    if (this.format === null) {
      this.format = f;
      this.kind = f.kind(this.ctx());
      return;
    }
    if (this.format.family !== f.family && !this.mixedNoted) {
      this.mixedNoted = true;
      this.note('mixed_documents', `a JSON document of another shape at byte ${offset} (${f.family} after ${this.format.family}): its records were read too`, 'error');
    }
  }

  private emit(r: RawRecord): void {
    r.index = this.count++;
    if (r.record) {
      if (this.events === 0) this.flushPending();
      this.events++;
      this.onRecord(r);
    } else if (this.events === 0 && this.format === null) {
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
    const f = this.jsonFormats.find((x) => x.container?.(key, keysSoFar) === true);
    if (!f) return false;
    if (this.containers > 0 && this.topValues === 0) {
      this.note('duplicate_records_key', `a second "${key}" array at byte ${offset} in the same object: its records were read too (JSON parsers keep only one of them; possible tampering)`, 'error');
    }
    this.containers++;
    this.containerFormat = f;
    this.setFormat(f, offset);
    return true;
  }

  private topEnd(envelope: boolean): void {
    this.topValues++;
    this.containers = 0;
    if (envelope && this.topValues === 1) this.firstTop = { what: 'an envelope' };
    // A format's kind may depend on the number of documents (one event, or NDJSON).
    if (this.format !== null && this.kind !== null) this.kind = this.format.kind(this.ctx());
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
      if (isFirst && this.format === null && v.problem !== 'broken_line') this.firstTop = { what: got.text === null ? `a value of ${v.length} bytes` : 'invalid JSON' };
      return this.emit(got.bad);
    }
    const { text, parsed } = got;
    if (isFirst && this.format === null && this.firstTop === null) {
      this.firstTop = { what: describe(parsed) };
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const first = { parsed: parsed as Record<string, unknown>, keys: Object.keys(parsed), text };
        for (const f of this.jsonFormats) {
          const reason = f.skipFile?.(first) ?? null;
          if (reason === null) continue;
          this.kind = f.kind(this.ctx());
          this.skipReason = reason;
          this.scanner.stop();
          return;
        }
      }
      // NDJSON: a one-line first value; from now on every value must end on its line.
      if (!v.bytes!.includes(0x0a)) this.scanner.lineMode = true;
    }
    const at: Located = { offset: v.offset, length: v.length, text };
    for (const f of this.jsonFormats) {
      const records = f.topValue?.(parsed, at, this.format !== null && this.format.family === f.family) ?? null;
      if (records === null) continue;
      this.setFormat(f, v.offset);
      for (const r of asList(records)) this.emit(r);
      return;
    }
    // A lookup-events page whose Events is not an array, or anything else.
    this.emit(this.bad(v, 'not_an_event', `top-level value at byte ${v.offset} is ${describe(parsed)}: ${NOT_EVENT}`, text));
  }

  private element(v: ScannedValue): void {
    const got = this.read(v);
    if ('bad' in got) {
      // An unreadable first element of a top-level array: the array is taken as the generic format's (the last one
      // that takes arrays).
      if (v.container === '[' && this.format === null) {
        const generic = this.jsonFormats.findLast((f) => f.arrayOf !== undefined);
        if (generic) this.setFormat(generic, v.offset);
      }
      return this.emit(got.bad);
    }
    const { text, parsed } = got;
    const at: Located = { offset: v.offset, length: v.length, text };
    let f: JsonFormat | null;
    if (v.container === '[') {
      this.arrayFormat ??= this.jsonFormats.find((x) => x.arrayOf?.(parsed) === true) ?? null;
      f = this.arrayFormat;
      if (f) this.setFormat(f, v.offset);
      const records = f?.arrayElement?.(parsed, at);
      if (records) for (const r of asList(records)) this.emit(r);
      else this.emit(this.bad(v, 'not_an_event', `element is ${describe(parsed)}: ${NOT_EVENT}`, text));
      return;
    }
    const records = this.containerFormat?.containerEntry?.(parsed, at);
    if (records) for (const r of asList(records)) this.emit(r);
    else this.emit(this.bad(v, 'not_an_event', `element is ${describe(parsed)}: ${NOT_EVENT}`, text));
  }

  /** A file that is not JSON: the first text format that reads it. */
  private readText(content: Buffer): void {
    let reason: string | null = null;
    for (const f of this.textFormats) {
      const got = f.read(content);
      if ('reason' in got) {
        reason ??= got.reason;
        continue;
      }
      this.kind = f.kind(this.ctx());
      for (const r of got.records) {
        r.index = this.count++;
        if (r.record) this.events++;
        this.onRecord(r);
      }
      this.notes.push(...got.notes);
      return;
    }
    this.kind = 'skipped';
    this.skipReason = reason ?? 'not JSON, and no evidence format reads text files';
  }
}

/** Read a whole decompressed file (in memory): the same reader, fed one chunk. */
export function readRecords(content: Buffer, hint: PathHint): ReadResult {
  const records: RawRecord[] = [];
  const reader = new RecordReader(hint, (r) => records.push(r));
  reader.push(content);
  reader.end();
  return { kind: reader.kind ?? 'skipped', records: reader.skipReason !== null ? [] : records, notes: reader.notes, skipReason: reader.skipReason };
}
