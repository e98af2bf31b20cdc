// Decompressed evidence bytes → classified records, for files that fit in memory.
// Classification is by content (and the key path when there is one), never by extension alone.

import { parse as parseCsv } from 'csv-parse/sync';
import type { CloudTrailRecord, SourceKind } from '../model/types.js';
import { scanJson, type Span } from './json-scan.js';
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
}

export interface ReadResult {
  kind: SourceKind;
  records: RawRecord[];
  /** File-level problems that did not stop the reading (truncation after record N, BOM...). */
  notes: Array<{ code: string; message: string; severity: 'warning' | 'error' }>;
  /** Set when the file is not evidence we ingest (kind 'skipped' or 'cloudtrail-digest'). */
  skipReason: string | null;
}

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
function asEvent(v: unknown): CloudTrailRecord | null {
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

function looksLikeEvent(v: unknown): v is CloudTrailRecord {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && looksLikeEventKeys(Object.keys(v as object));
}

const DIGEST_KEYS = ['digestS3Object', 'digestStartTime', 'digestEndTime', 'logFiles'];

/** Folder hint from a bucket key path. */
export type PathHint = 'CloudTrail' | 'CloudTrail-Digest' | 'CloudTrail-Insight' | null;

function utf8(buf: Buffer, start: number, end: number): string {
  return buf.toString('utf8', start, end);
}

function parseSpan(buf: Buffer, sp: Span): { value: unknown; text: string; error: string | null } {
  const text = utf8(buf, sp.start, sp.end);
  try {
    return { value: JSON.parse(text), text, error: null };
  } catch (err) {
    return { value: null, text, error: `invalid JSON: ${(err as Error).message}` };
  }
}

function recordFromValue(index: number, value: unknown, text: string, sp: Span | null, error: string | null): RawRecord {
  if (error) return { index, record: null, text, offset: sp?.start ?? null, length: sp ? sp.end - sp.start : null, partial: false, error };
  const rec = asEvent(value);
  if (!rec) {
    return { index, record: null, text, offset: sp?.start ?? null, length: sp ? sp.end - sp.start : null, partial: false, error: 'not a CloudTrail event (no eventTime/eventName/eventSource/eventID/userIdentity fields)' };
  }
  return { index, record: rec, text, offset: sp?.start ?? null, length: sp ? sp.end - sp.start : null, partial: false, error: null };
}

/** A lookup-events entry: its CloudTrailEvent string is the event (else the entry itself, as insights output). */
function recordFromLookupEntry(index: number, entry: unknown, entryError: string | null): RawRecord {
  const base = { index, offset: null, length: null, partial: false };
  if (entryError) return { ...base, record: null, text: null, error: entryError };
  const e = entry as Record<string, unknown> | null;
  if (e && typeof e.CloudTrailEvent === 'string') {
    try {
      const rec = JSON.parse(e.CloudTrailEvent) as unknown;
      if (!looksLikeEvent(rec)) return { ...base, record: null, text: e.CloudTrailEvent, error: 'CloudTrailEvent is not a CloudTrail event' };
      return { ...base, record: rec, text: e.CloudTrailEvent, error: null };
    } catch (err) {
      return { ...base, record: null, text: e.CloudTrailEvent, error: `CloudTrailEvent is not valid JSON: ${(err as Error).message}` };
    }
  }
  if (looksLikeEvent(e)) return { ...base, record: e, text: JSON.stringify(e), error: null };
  return { ...base, record: null, text: null, error: 'lookup-events entry has no CloudTrailEvent' };
}

function isLookupPage(keys: string[]): boolean {
  return keys.includes('Events') && !looksLikeEventKeys(keys);
}

/** Read all records of a decompressed file. `hint` comes from the key path (CloudTrail-Digest/ etc.). */
export function readRecords(content: Buffer, hint: PathHint): ReadResult {
  const notes: ReadResult['notes'] = [];
  const records: RawRecord[] = [];
  let start = 0;
  while (start < content.length && (content[start] === 0x20 || content[start] === 0x0a || content[start] === 0x0d || content[start] === 0x09)) start++;
  if (content.length - start === 0) {
    return { kind: hint === 'CloudTrail-Insight' ? 'cloudtrail-insight' : 'cloudtrail-log', records, notes: [{ code: 'empty_file', message: 'file is empty (0 records)', severity: 'warning' }], skipReason: null };
  }
  const first = content[start] === 0xef && content[start + 1] === 0xbb && content[start + 2] === 0xbf ? content[start + 3] : content[start];
  if (first !== 0x7b && first !== 0x5b) {
    return readCsv(content, notes);
  }
  const scan = scanJson(content);
  if (scan.bom) notes.push({ code: 'bom', message: 'file starts with a UTF-8 byte-order mark (ignored)', severity: 'warning' });
  const values = scan.values;
  if (values.length === 0) {
    return { kind: 'skipped', records, notes, skipReason: `invalid JSON at byte ${scan.error?.offset ?? 0}: ${scan.error?.message ?? 'no value'}` };
  }
  const v0 = values[0];
  let kind: SourceKind;

  if (v0.kind === 'object' && v0.keys.some((k) => DIGEST_KEYS.includes(k)) && v0.keys.includes('logFiles')) {
    return { kind: 'cloudtrail-digest', records, notes, skipReason: 'CloudTrail digest file (recorded for integrity verification, not events)' };
  }
  if (v0.kind === 'object' && (v0.keys.includes('PublicKeyList') || v0.keys.includes('publicKeyList'))) {
    return { kind: 'public-keys', records, notes, skipReason: 'CloudTrail public keys (list-public-keys output): input for trailhound verify, not events' };
  }
  if (v0.kind === 'object' && isDigestMetadata(content, v0)) {
    return { kind: 'digest-metadata', records, notes, skipReason: 'saved S3 metadata of digest files (signatures): input for trailhound verify, not events' };
  }
  if (values.every((v) => v.kind === 'object' && v.arrayKey === 'Records')) {
    kind = hint === 'CloudTrail-Insight' ? 'cloudtrail-insight' : hint === 'CloudTrail' ? 'cloudtrail-log' : 'records-json';
    for (const v of values) {
      for (const sp of v.elements ?? []) {
        const { value, text, error } = parseSpan(content, sp);
        records.push(recordFromValue(records.length, value, text, sp, error));
      }
    }
  } else if (values.every((v) => v.kind === 'object' && isLookupPage(v.keys)) || (v0.kind === 'array' && values.length === 1 && arrayOfPages(content, v0.elements ?? []))) {
    kind = 'lookup-events';
    const pages: Span[] = v0.kind === 'array' ? (v0.elements ?? []) : values.map((v) => ({ start: v.start, end: v.end }));
    for (const pageSpan of pages) {
      const page = parseSpan(content, pageSpan);
      const entries = (page.value as { Events?: unknown[] } | null)?.Events;
      if (page.error || !Array.isArray(entries)) {
        records.push({ index: records.length, record: null, text: null, offset: pageSpan.start, length: pageSpan.end - pageSpan.start, partial: false, error: page.error ?? 'lookup-events page without an Events array' });
        continue;
      }
      for (const entry of entries) records.push(recordFromLookupEntry(records.length, entry, null));
    }
  } else if (values.every((v) => v.kind === 'object') && values.filter((v) => looksLikeEventKeys(v.keys)).length * 2 > values.length) {
    // One event, or several concatenated / one per line (NDJSON, JSON Lines; CRLF is whitespace here).
    kind = values.length === 1 && !scan.error ? 'event-json' : 'ndjson';
    for (const v of values) {
      const sp = { start: v.start, end: v.end };
      const { value, text, error } = parseSpan(content, sp);
      records.push(recordFromValue(records.length, value, text, sp, error));
    }
  } else if (v0.kind === 'array' && values.length === 1) {
    kind = 'event-json';
    for (const sp of v0.elements ?? []) {
      const { value, text, error } = parseSpan(content, sp);
      records.push(recordFromValue(records.length, value, text, sp, error));
    }
    if (records.length > 0 && records.every((r) => r.record === null)) {
      return { kind: 'skipped', records: [], notes, skipReason: 'JSON array whose elements are not CloudTrail events' };
    }
  } else {
    const keys = v0.kind === 'object' ? v0.keys.slice(0, 8).join(', ') : v0.kind;
    return { kind: 'skipped', records: [], notes, skipReason: `JSON that is not CloudTrail (top-level ${v0.kind === 'object' ? `keys: ${keys || 'none'}` : keys})` };
  }
  if (scan.error) {
    notes.push({
      code: 'truncated_json',
      message: `invalid or truncated JSON at byte ${scan.error.offset}: ${scan.error.message}; ${records.length} complete records before it were read`,
      severity: 'error',
    });
  }
  if (records.length === 0 && !scan.error) notes.push({ code: 'zero_records', message: 'file holds no records', severity: 'warning' });
  return { kind, records, notes, skipReason: null };
}

/** {"<s3 key>": {"signature": ...}} maps and head-object sidecars {"Metadata": {"signature": ...}}. */
function isDigestMetadata(content: Buffer, v: { start: number; end: number; keys: string[] }): boolean {
  if (v.keys.includes('Metadata')) return /"signature"\s*:/.test(content.toString('utf8', v.start, Math.min(v.end, v.start + 65536)));
  if (v.keys.length === 0 || !v.keys.every((k) => k.includes('CloudTrail-Digest/'))) return false;
  return /"signature"\s*:/.test(content.toString('utf8', v.start, Math.min(v.end, v.start + 65536)));
}

function arrayOfPages(content: Buffer, elements: Span[]): boolean {
  if (elements.length === 0) return false;
  const sp = elements[0];
  const inner = scanJson(content.subarray(sp.start, sp.end), 1);
  const v = inner.values[0];
  return v?.kind === 'object' && isLookupPage(v.keys);
}

function readCsv(content: Buffer, notes: ReadResult['notes']): ReadResult {
  let rows: string[][];
  try {
    rows = parseCsv(content, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    return { kind: 'skipped', records: [], notes, skipReason: `neither JSON nor a readable CSV (${(err as Error).message})` };
  }
  if (rows.length === 0 || !isCloudTrailCsvHeader(rows[0])) {
    return { kind: 'skipped', records: [], notes, skipReason: 'not JSON, and not a CSV with CloudTrail columns (need at least event name/time/ID columns)' };
  }
  const header = rows[0];
  const records: RawRecord[] = [];
  for (let i = 1; i < rows.length; i++) {
    const { record, partial, error } = csvRowToRecord(header, rows[i]);
    records.push({ index: i - 1, record, text: record ? JSON.stringify(record) : null, offset: null, length: null, partial, error });
  }
  if (records.length === 0) notes.push({ code: 'zero_records', message: 'CSV has a header but no rows', severity: 'warning' });
  return { kind: 'console-csv', records, notes, skipReason: null };
}
