// The case writer: the only code that inserts evidence into a case. Runs on one thread; callers group
// work into synchronous transactions (never an await inside one). A file's rows are written together
// with its `sources` row; a streamed file spans several transactions with status 'ingesting' until
// its last part, and recover() removes what an interrupted run left half-written.

import type { Db } from './open.js';
import { StringTable } from './strings.js';
import { packIdOrNull } from './ids.js';
import { EVENT_INDEXES } from './schema.js';
import type { KeyPathInfo, SourceKind } from '../model/types.js';
import { EVENT_COLUMNS, EVENT_FLAGS } from '../model/event-columns.js';
import { BOOL_KEYS, N_BOOL, N_INT, N_STR, N_TEXT, STRING_KEYS, TEXT_KEYS, type EventBatch } from '../model/event-batch.js';

/** The columns the writer fills, in statement order: the registry's, then the row's bookkeeping. */
const WRITTEN = [...EVENT_COLUMNS.map((c) => c.column), 'flags', 'content_hash', 'source_id', 'record_index', 'byte_offset', 'byte_length'];
const INSERT_EVENT = `INSERT INTO events (${WRITTEN.join(', ')}) VALUES (${WRITTEN.map(() => '?').join(',')}) ON CONFLICT(event_id) DO NOTHING`;
// The full record replacing a partial one: every column but event_id (parameters in WRITTEN order, then the row id).
const UPGRADE_EVENT = `UPDATE events SET ${WRITTEN.filter((c) => c !== 'event_id').map((c) => `${c} = ?`).join(', ')} WHERE id = ?`;

/** Where each statement parameter comes from in a batch: [kind, slot within its kind]. */
type Slot = readonly ['id' | 'text', number] | readonly ['time', 0] | readonly ['string', number] | readonly ['bool', number];
const SLOTS: readonly Slot[] = EVENT_COLUMNS.map((c): Slot => {
  switch (c.kind) {
    case 'time':
      return ['time', 0];
    case 'string':
      return ['string', STRING_KEYS.indexOf(c.key)];
    case 'bool':
      return ['bool', BOOL_KEYS.indexOf(c.key)];
    default:
      return [c.kind, TEXT_KEYS.indexOf(c.key)];
  }
});
const EVENT_ID_SLOT = TEXT_KEYS.indexOf('eventId');
const EVENT_ID_PARAM = EVENT_COLUMNS.findIndex((c) => c.key === 'eventId');

export interface SourceInput {
  root: string;
  path: string;
  size: number;
  sha256: string;
  compression: 'gzip' | 'none';
  keyInfo: KeyPathInfo | null;
}

export interface SourceResult {
  contentSha256: string | null;
  kind: SourceKind;
  status: 'done' | 'skipped' | 'failed';
  reason: string | null;
  recordCount: number;
  blobFormat: 'file' | 'gzip' | null;
}

export interface WarningInput {
  recordIndex: number | null;
  code: string;
  message: string;
  severity: 'warning' | 'error';
}

export interface WriteCounters {
  eventsAdded: number;
  duplicates: number;
  conflicts: number;
  occurrences: number;
}


export class CaseWriter {
  readonly strings: StringTable;
  readonly counters: WriteCounters = { eventsAdded: 0, duplicates: 0, conflicts: 0, occurrences: 0 };
  private runId: number | null = null;
  private readonly st;

  constructor(private readonly db: Db) {
    this.strings = new StringTable(db);
    this.st = {
      insertEvent: db.prepare(INSERT_EVENT),
      findEvent: db.prepare('SELECT id, content_hash AS hash, flags, source_id AS sourceId, record_index AS recordIndex, byte_offset AS byteOffset, byte_length AS byteLength FROM events WHERE event_id = ?'),
      upgradeEvent: db.prepare(UPGRADE_EVENT),
      markConflict: db.prepare('UPDATE events SET flags = flags | ? WHERE id = ?'),
      insertOcc: db.prepare('INSERT OR IGNORE INTO extra_occurrences (event_id, source_id, record_index, byte_offset, byte_length, variant) VALUES (?,?,?,?,?,?)'),
      insertRes: db.prepare('INSERT OR IGNORE INTO event_resources (event_id, type, name) VALUES (?,?,?)'),
      insertSource: db.prepare(`INSERT INTO sources (path, root, size, sha256, content_sha256, kind, compression, s3_key, key_prefix, org_id,
        account_id, region, date, file_time, status, reason, duplicate_of, record_count, event_count, embedded, blob_format, run_id)
        VALUES (@path, @root, @size, @sha256, NULL, 'skipped', @compression, @s3Key, @prefix, @orgId, @accountId, @region, @date,
        @fileTime, 'ingesting', NULL, NULL, NULL, NULL, 0, NULL, @runId)`),
      finishSource: db.prepare(`UPDATE sources SET content_sha256 = @contentSha256, kind = @kind, status = @status, reason = @reason,
        record_count = @recordCount, event_count = @eventCount, embedded = @embedded, blob_format = @blobFormat WHERE id = @id`),
      insertBlob: db.prepare('INSERT INTO source_blobs (source_id, seq, data) VALUES (?,?,?)'),
      nextBlobSeq: db.prepare('SELECT coalesce(max(seq) + 1, 0) FROM source_blobs WHERE source_id = ?').pluck(),
      insertWarning: db.prepare('INSERT INTO warnings (run_id, source_id, file, record_index, code, message, severity) VALUES (?,?,?,?,?,?,?)'),
      sourceBySha: db.prepare("SELECT id FROM sources WHERE sha256 = ? AND status IN ('done','skipped') AND duplicate_of IS NULL ORDER BY id LIMIT 1").pluck(),
      samePath: db.prepare('SELECT id, status FROM sources WHERE root = ? AND path = ? AND sha256 = ?'),
      insertDuplicate: db.prepare(`INSERT INTO sources (path, root, size, sha256, content_sha256, kind, compression, s3_key, key_prefix, org_id,
        account_id, region, date, file_time, status, reason, duplicate_of, record_count, event_count, embedded, blob_format, run_id)
        SELECT @path, @root, size, sha256, content_sha256, kind, compression, @s3Key, @prefix, @orgId, @accountId, @region, @date, @fileTime,
        'duplicate', 'same bytes as source ' || id || ' (' || path || ')', id, record_count, 0, 0, NULL, @runId FROM sources WHERE id = @dupOf`),
    };
  }

  /**
   * Bulk mode for a case that starts empty: secondary indexes are dropped and rebuilt once at the end
   * (sorting once is far cheaper than updating 16 B-trees per row). ensureIndexes() restores them; every
   * ingest calls it first, so an interrupted bulk load never leaves a case without its indexes.
   */
  beginBulk(): boolean {
    if (this.db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined) return false;
    for (const idx of EVENT_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${idx.name}`);
    return true;
  }

  ensureIndexes(parallelSort = false): void {
    if (parallelSort) this.db.pragma('threads = 2');
    for (const idx of EVENT_INDEXES) this.db.exec(idx.sql);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  beginRun(toolVersion: string, args: unknown): number {
    const info = this.db
      .prepare("INSERT INTO ingest_runs (started_at, tool_version, arguments, status) VALUES (?, ?, ?, 'running')")
      .run(new Date().toISOString(), toolVersion, JSON.stringify(args));
    this.runId = Number(info.lastInsertRowid);
    return this.runId;
  }

  finishRun(status: 'done' | 'failed', summary: unknown): void {
    if (this.runId === null) return;
    this.db.prepare('UPDATE ingest_runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?').run(new Date().toISOString(), status, JSON.stringify(summary), this.runId);
  }

  /** SHA-256 of every file already fully in the case (their contents are not parsed again). */
  knownSha256(): Set<string> {
    return new Set(this.db.prepare("SELECT sha256 FROM sources WHERE status IN ('done','skipped')").pluck().all() as string[]);
  }

  /**
   * Remove what an interrupted run left: sources still 'ingesting' and failed sources (retried), with
   * their events (unless another file also holds them), occurrences, resources, blobs and warnings.
   * Returns the number of sources removed.
   */
  recover(): number {
    const ids = this.db.prepare("SELECT id FROM sources WHERE status IN ('ingesting','failed')").pluck().all() as number[];
    if (ids.length === 0) return 0;
    this.transaction(() => {
      for (const sid of ids) {
        // Events whose body comes from this source: re-point them at another occurrence, or delete them.
        const owned = this.db.prepare('SELECT id FROM events WHERE source_id = ?').pluck().all(sid) as number[];
        for (const eid of owned) {
          const other = this.db
            .prepare('SELECT source_id, record_index, byte_offset, byte_length FROM extra_occurrences WHERE event_id = ? AND source_id <> ? ORDER BY source_id, record_index LIMIT 1')
            .get(eid, sid) as { source_id: number; record_index: number; byte_offset: number | null; byte_length: number | null } | undefined;
          if (other) {
            // That other place becomes the event's first-seen one.
            this.db.prepare('UPDATE events SET source_id = ?, record_index = ?, byte_offset = ?, byte_length = ? WHERE id = ?').run(other.source_id, other.record_index, other.byte_offset, other.byte_length, eid);
            this.db.prepare('DELETE FROM extra_occurrences WHERE event_id = ? AND source_id = ? AND record_index = ?').run(eid, other.source_id, other.record_index);
          } else {
            this.db.prepare('DELETE FROM event_resources WHERE event_id = ?').run(eid);
            this.db.prepare('DELETE FROM events WHERE id = ?').run(eid);
          }
        }
        this.db.prepare('DELETE FROM extra_occurrences WHERE source_id = ?').run(sid);
        this.db.prepare('DELETE FROM source_blobs WHERE source_id = ?').run(sid);
        this.db.prepare('DELETE FROM warnings WHERE source_id = ?').run(sid);
        this.db.prepare('DELETE FROM sources WHERE id = ?').run(sid);
      }
    });
    this.strings.reset();
    return ids.length;
  }

  /**
   * Record a file whose bytes are already in the case under another path (or the same path: nothing to do).
   * Returns true when a row was added.
   */
  recordKnown(src: SourceInput): boolean {
    if (this.st.samePath.get(src.root, src.path, src.sha256)) return false;
    const dupOf = this.st.sourceBySha.get(src.sha256) as number | undefined;
    if (dupOf === undefined) return false;
    const k = src.keyInfo;
    this.st.insertDuplicate.run({
      path: src.path, root: src.root, s3Key: k?.s3Key ?? null, prefix: k?.prefix ?? null, orgId: k?.orgId ?? null,
      accountId: k?.accountId ?? null, region: k?.region ?? null, date: k?.date ?? null, fileTime: k?.fileTime ?? null,
      runId: this.runId, dupOf,
    });
    return true;
  }

  /** Insert the sources row (status 'ingesting'). Call inside a transaction. */
  beginSource(src: SourceInput): number {
    const k = src.keyInfo;
    const info = this.st.insertSource.run({
      path: src.path, root: src.root, size: src.size, sha256: src.sha256, compression: src.compression,
      s3Key: k?.s3Key ?? null, prefix: k?.prefix ?? null, orgId: k?.orgId ?? null, accountId: k?.accountId ?? null,
      region: k?.region ?? null, date: k?.date ?? null, fileTime: k?.fileTime ?? null, runId: this.runId,
    });
    return Number(info.lastInsertRowid);
  }

  /** Insert a batch of events (with occurrences and resources) for a source. Call inside a transaction. */
  addEvents(sourceId: number, b: EventBatch, warn: (w: WarningInput) => void): number {
    let added = 0;
    // The whole dictionary is read once, when the run first has events to write (a re-ingest with nothing new never needs it).
    this.strings.preload();
    // Resolve each distinct string of the batch once.
    const gid = new Array<number | null>(b.strings.length);
    for (let i = 0; i < b.strings.length; i++) gid[i] = this.strings.id(b.strings[i]);
    const g = (i: number): number | null => (i < 0 ? null : gid[i]);
    const params: unknown[] = new Array(WRITTEN.length);
    const nCols = SLOTS.length;
    for (let e = 0; e < b.count; e++) {
      const c = e * N_STR;
      const t = e * N_TEXT;
      const o = e * N_BOOL;
      const n = e * N_INT;
      for (let i = 0; i < nCols; i++) {
        const [kind, slot] = SLOTS[i];
        if (kind === 'string') params[i] = g(b.cols[c + slot]);
        else if (kind === 'id') params[i] = packIdOrNull(b.texts[t + slot]);
        else if (kind === 'text') params[i] = b.texts[t + slot];
        else if (kind === 'bool') params[i] = b.bools[o + slot] < 0 ? null : b.bools[o + slot];
        else params[i] = Number.isNaN(b.times[e]) ? null : b.times[e];
      }
      const eventId = b.texts[t + EVENT_ID_SLOT] as string;
      const eventIdPacked = params[EVENT_ID_PARAM];
      const hash = Buffer.from(b.hashes.buffer, b.hashes.byteOffset + e * 16, 16);
      const index = b.ints[n];
      const flags = b.ints[n + 3];
      params[nCols] = flags;
      params[nCols + 1] = hash;
      params[nCols + 2] = sourceId;
      params[nCols + 3] = index;
      const off = b.ints[n + 1];
      const len = b.ints[n + 2];
      params[nCols + 4] = off < 0 ? null : off;
      params[nCols + 5] = len < 0 ? null : len;
      const res = this.st.insertEvent.run(...params);
      let eventRowId: number;
      let variant = 0;
      if (res.changes === 1) {
        eventRowId = Number(res.lastInsertRowid);
        added++;
        for (let r = b.resStart[e]; r < b.resStart[e + 1]; r++) this.st.insertRes.run(eventRowId, gid[b.res[2 * r]], gid[b.res[2 * r + 1]]);
      } else {
        const existing = this.st.findEvent.get(eventIdPacked) as
          | { id: number; hash: Buffer; flags: number; sourceId: number; recordIndex: number; byteOffset: number | null; byteLength: number | null }
          | undefined;
        if (!existing) throw new Error(`event ${eventId} vanished during ingest`);
        eventRowId = existing.id;
        this.counters.duplicates++;
        const newPartial = (flags & EVENT_FLAGS.partial) !== 0;
        const oldPartial = (existing.flags & EVENT_FLAGS.partial) !== 0;
        if (newPartial) {
          // A partial view (CSV row) of an event already known: nothing to compare, nothing to replace.
        } else if (oldPartial) {
          // The full record arrives after a partial one: the event takes the full body and columns, and the partial
          // view becomes one more place the event was seen.
          this.st.upgradeEvent.run(...params.filter((_, i) => i !== EVENT_ID_PARAM), eventRowId);
          this.st.insertOcc.run(eventRowId, existing.sourceId, existing.recordIndex, existing.byteOffset, existing.byteLength, 0);
          for (let r = b.resStart[e]; r < b.resStart[e + 1]; r++) this.st.insertRes.run(eventRowId, gid[b.res[2 * r]], gid[b.res[2 * r + 1]]);
        } else if (!existing.hash.equals(hash)) {
          variant = 1;
          this.counters.conflicts++;
          this.st.markConflict.run(EVENT_FLAGS.conflict, eventRowId);
          warn({
            recordIndex: index,
            code: 'event_conflict',
            message: `record ${index}: eventID ${eventId} was already seen with a different body; both bodies are kept (see: trailhound show ${eventId})`,
            severity: 'warning',
          });
        }
        // The event's own row holds where it was first seen; every further place is an extra occurrence.
        if (!(oldPartial && !newPartial) && !(existing.sourceId === sourceId && existing.recordIndex === index)) {
          this.st.insertOcc.run(eventRowId, sourceId, index, params[nCols + 4], params[nCols + 5], variant);
        }
      }
      this.counters.occurrences++;
    }
    this.counters.eventsAdded += added;
    return added;
  }

  addBlobPieces(sourceId: number, pieces: Buffer[]): void {
    if (pieces.length === 0) return;
    let seq = this.st.nextBlobSeq.get(sourceId) as number;
    for (const p of pieces) this.st.insertBlob.run(sourceId, seq++, p);
  }

  addWarning(sourceId: number | null, file: string, w: WarningInput): void {
    this.st.insertWarning.run(this.runId, sourceId, file, w.recordIndex, w.code, w.message, w.severity);
  }

  /** Final state of a source. Call inside a transaction. */
  finishSource(sourceId: number, result: SourceResult, eventCount: number, embedded: boolean): void {
    this.st.finishSource.run({
      id: sourceId,
      contentSha256: result.contentSha256,
      kind: result.kind,
      status: result.status,
      reason: result.reason,
      recordCount: result.recordCount,
      eventCount,
      embedded: embedded ? 1 : 0,
      blobFormat: embedded ? result.blobFormat : null,
    });
  }
}
