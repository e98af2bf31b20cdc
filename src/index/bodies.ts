// Event bodies on demand: the original JSON of an event, read from the evidence bytes embedded in the
// case (or, for --no-embed cases, from the evidence file itself after checking its SHA-256), and every
// place the event was seen (provenance).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { cachedStatement, type Db } from './statements.js';
import { markedPrefixRange, packId, unpackId, uuidPrefixRange } from './ids.js';
import { gunzipLenient } from '../sources/gzip.js';
import { readRecords, type PathHint } from '../sources/read-records.js';
import { parseKeyPath } from '../sources/key-path.js';

export interface EventBody {
  /** The event's JSON text: the original bytes when the file held it verbatim. */
  json: string;
  record: Record<string, unknown>;
}

export interface Provenance {
  sourceId: number;
  root: string;
  path: string;
  sha256: string;
  contentSha256: string | null;
  kind: string;
  recordIndex: number;
  byteOffset: number | null;
  byteLength: number | null;
  /** 0: the event's body; 1: a different body for the same eventID (conflict). */
  variant: number;
  embedded: boolean;
}

interface SourceRow {
  id: number;
  root: string;
  path: string;
  sha256: string;
  compression: string;
  embedded: number;
  blob_format: string | null;
}

const MAX_CONTENT = 2 * 1024 * 1024 * 1024;

/** Small per-connection cache of decompressed sources (shows and lookups touch few files, often repeatedly). */
const cache = new WeakMap<Db, Map<number, { content: Buffer; records?: Array<string | null> }>>();
const CACHE_FILES = 16;

function cacheFor(db: Db): Map<number, { content: Buffer; records?: Array<string | null> }> {
  let m = cache.get(db);
  if (!m) {
    m = new Map();
    cache.set(db, m);
  }
  return m;
}

/** The decompressed content of a source (first gzip member), from the case or from the evidence file. */
function sourceContent(db: Db, sourceId: number): Buffer {
  const c = cacheFor(db);
  const hit = c.get(sourceId);
  if (hit) {
    c.delete(sourceId);
    c.set(sourceId, hit);
    return hit.content;
  }
  const src = cachedStatement(db, 'SELECT id, root, path, sha256, compression, embedded, blob_format FROM sources WHERE id = ?').get(sourceId) as SourceRow | undefined;
  if (!src) throw new Error(`source ${sourceId} is not in the case`);
  let fileBytes: Buffer;
  if (src.embedded) {
    const pieces = cachedStatement(db, 'SELECT data FROM source_blobs WHERE source_id = ? ORDER BY seq /* pluck */').pluck().all(sourceId) as Buffer[];
    const stored = Buffer.concat(pieces);
    fileBytes = src.blob_format === 'gzip' ? zlib.gunzipSync(stored) : stored;
  } else {
    const file = path.join(src.root, ...src.path.split('/'));
    try {
      fileBytes = fs.readFileSync(file);
    } catch (err) {
      throw new Error(`the case does not embed ${src.path} (ingested with --no-embed) and the evidence file ${file} cannot be read: ${(err as Error).message}`);
    }
    const sha = crypto.createHash('sha256').update(fileBytes).digest('hex');
    if (sha !== src.sha256) throw new Error(`evidence file ${file} has changed since ingest (SHA-256 ${sha}, case recorded ${src.sha256})`);
  }
  // Every gzip member, as ingest read them (record offsets run on across members), up to any damage.
  const content = src.compression === 'gzip' ? gunzipLenient(fileBytes, MAX_CONTENT) : fileBytes;
  c.set(sourceId, { content });
  while (c.size > CACHE_FILES) c.delete(c.keys().next().value as number);
  return content;
}

function hintFor(p: string): PathHint {
  const k = parseKeyPath(p);
  return k && (k.folder === 'CloudTrail' || k.folder === 'CloudTrail-Digest' || k.folder === 'CloudTrail-Insight') ? k.folder : null;
}

/** The text of record `index` of a source. */
function recordText(db: Db, sourceId: number, index: number, offset: number | null, length: number | null): string | null {
  const content = sourceContent(db, sourceId);
  if (offset !== null && length !== null) return content.toString('utf8', offset, offset + length);
  const entry = cacheFor(db).get(sourceId)!;
  if (!entry.records) {
    const p = db.prepare('SELECT path FROM sources WHERE id = ?').pluck().get(sourceId) as string;
    entry.records = readRecords(content, hintFor(p)).records.map((r) => r.text);
  }
  return entry.records[index] ?? null;
}

/**
 * The record at a place as its bytes in the decompressed file (a view, not a copy) where its byte range is known,
 * else its text: for the Parquet export, which hands the bytes to its writer without decoding them.
 */
export function readRecordBytes(db: Db, sourceId: number, index: number, offset: number | null, length: number | null): Buffer | string | null {
  if (offset !== null && length !== null) return sourceContent(db, sourceId).subarray(offset, offset + length);
  return recordText(db, sourceId, index, offset, length);
}

/** The event's own body (its first-seen occurrence). */
export function readEventBody(db: Db, eventRowId: number): EventBody | null {
  const row = db
    .prepare(
      'SELECT e.source_id AS sid, e.record_index AS idx, e.byte_offset AS off, e.byte_length AS len FROM events e WHERE e.id = ?',
    )
    .get(eventRowId) as { sid: number; idx: number; off: number | null; len: number | null } | undefined;
  if (!row) return null;
  const json = recordText(db, row.sid, row.idx, row.off, row.len);
  if (json === null) return null;
  return { json, record: JSON.parse(json) as Record<string, unknown> };
}

export function readEventBodies(db: Db, ids: number[]): Map<number, EventBody> {
  const out = new Map<number, EventBody>();
  for (const id of ids) {
    const b = readEventBody(db, id);
    if (b) out.set(id, b);
  }
  return out;
}

/**
 * The records of many events, read source by source (each evidence file decompressed once): calls `fn` with each
 * event's row id and parsed record, in source order. Events whose body cannot be read are passed to `missing`.
 */
export function forEachEventRecord(db: Db, rowIds: readonly number[], fn: (rowId: number, record: Record<string, unknown>) => void, missing?: (rowId: number, reason: string) => void): void {
  const where: Array<{ id: number; sid: number; idx: number; off: number | null; len: number | null }> = [];
  const st = db.prepare(
    'SELECT e.id AS id, e.source_id AS sid, e.record_index AS idx, e.byte_offset AS off, e.byte_length AS len FROM events e WHERE e.id = ?',
  );
  for (const id of rowIds) {
    const r = st.get(id) as (typeof where)[number] | undefined;
    if (r) where.push(r);
    else missing?.(id, 'not in the case');
  }
  where.sort((a, b) => a.sid - b.sid || a.idx - b.idx);
  for (const w of where) {
    let text: string | null;
    try {
      text = recordText(db, w.sid, w.idx, w.off, w.len);
    } catch (e) {
      missing?.(w.id, (e as Error).message);
      continue;
    }
    if (text === null) {
      missing?.(w.id, 'record not found in its source');
      continue;
    }
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (e) {
      missing?.(w.id, `record is not JSON: ${(e as Error).message}`);
      continue;
    }
    if (record && typeof record === 'object' && !Array.isArray(record)) fn(w.id, record as Record<string, unknown>);
    else missing?.(w.id, 'record is not a JSON object');
  }
}

/** The body of one particular occurrence (to show both sides of a conflict). */
export function readOccurrenceBody(db: Db, p: Provenance): string | null {
  return recordText(db, p.sourceId, p.recordIndex, p.byteOffset, p.byteLength);
}

export function eventProvenance(db: Db, eventRowId: number): Provenance[] {
  const rows = db
    .prepare(
      `SELECT o.source_id AS sourceId, s.root, s.path, s.sha256, s.content_sha256 AS contentSha256, s.kind,
              o.record_index AS recordIndex, o.byte_offset AS byteOffset, o.byte_length AS byteLength, o.variant, s.embedded
       FROM (SELECT source_id, record_index, byte_offset, byte_length, 0 AS variant FROM events WHERE id = ?
             UNION ALL SELECT source_id, record_index, byte_offset, byte_length, variant FROM extra_occurrences WHERE event_id = ?) o
       JOIN sources s ON s.id = o.source_id ORDER BY o.source_id, o.record_index`,
    )
    .all(eventRowId, eventRowId) as Array<Omit<Provenance, 'embedded'> & { embedded: number }>;
  return rows.map((r) => ({ ...r, embedded: r.embedded === 1 }));
}

/** events.id for an eventID, or null. */
export function eventRowId(db: Db, eventId: string): number | null {
  return (db.prepare('SELECT id FROM events WHERE event_id = ?').pluck().get(packId(eventId)) as number | undefined) ?? null;
}

/** events.id for an eventID given whole (a UUID in any case), or null: never a prefix. */
export function exactEventRowId(db: Db, eventId: string): number | null {
  return eventRowId(db, eventId) ?? (eventId.toLowerCase() !== eventId ? eventRowId(db, eventId.toLowerCase()) : null);
}

/** The shortest eventID prefix `show` accepts. */
export const MIN_EVENT_ID_PREFIX = 8;

/**
 * Row ids of events whose eventID starts with `prefix`, at most `limit`, in eventID order. A UUID prefix is matched
 * case-insensitively, by a range scan of the packed 16-byte form on the events_event_id index (and of the text form,
 * for UUIDs a record held in capitals); any other id by a range scan of its text (as typed, lowercase, uppercase).
 */
export function eventRowIdsByPrefix(db: Db, prefix: string, limit: number): number[] {
  const out = new Set<number>();
  const add = (rows: number[]) => {
    for (const r of rows) if (out.size < limit) out.add(r);
  };
  const range = uuidPrefixRange(prefix.toLowerCase());
  if (range) {
    const sql = range.hi
      ? 'SELECT id FROM events WHERE event_id >= ? AND event_id < ? AND length(event_id) = 16 ORDER BY event_id LIMIT ?'
      : 'SELECT id FROM events WHERE event_id >= ? AND length(event_id) = 16 ORDER BY event_id LIMIT ?';
    add(db.prepare(sql).pluck().all(...(range.hi ? [range.lo, range.hi] : [range.lo]), limit) as number[]);
  }
  const marked = markedPrefixRange(prefix);
  if (marked) add(db.prepare("SELECT id FROM events WHERE event_id >= ? AND event_id < ? AND length(event_id) <> 16 ORDER BY event_id LIMIT ?").pluck().all(marked.lo, marked.hi, limit) as number[]);
  const text = db.prepare("SELECT id FROM events WHERE event_id >= ? AND event_id < ? AND typeof(event_id) = 'text' ORDER BY event_id LIMIT ?").pluck();
  for (const p of new Set([prefix, prefix.toLowerCase(), prefix.toUpperCase()])) {
    if (out.size >= limit) break;
    add(text.all(p, `${p}\u{10ffff}`, limit) as number[]);
  }
  return [...out];
}

export type EventIdResolution =
  | { kind: 'found'; rowId: number }
  | { kind: 'ambiguous'; rowIds: number[]; more: boolean }
  | { kind: 'none'; tooShort: boolean };

/**
 * An eventID as given on the command line: the exact id (a UUID in any case), else a unique prefix of at least
 * MIN_EVENT_ID_PREFIX characters. Ambiguous: up to `max` candidates.
 */
export function resolveEventId(db: Db, input: string, max = 10): EventIdResolution {
  const exact = exactEventRowId(db, input);
  if (exact !== null) return { kind: 'found', rowId: exact };
  if ([...input].length < MIN_EVENT_ID_PREFIX) return { kind: 'none', tooShort: true };
  const rows = eventRowIdsByPrefix(db, input, max + 1);
  if (rows.length === 0) return { kind: 'none', tooShort: false };
  if (rows.length === 1) return { kind: 'found', rowId: rows[0] };
  return { kind: 'ambiguous', rowIds: rows.slice(0, max), more: rows.length > max };
}

export function eventIdOfRow(db: Db, rowId: number): string | null {
  return unpackId(db.prepare('SELECT event_id FROM events WHERE id = ?').pluck().get(rowId));
}
