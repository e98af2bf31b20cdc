// The rows of the Parquet export (src/export), read from a case page by page so the case is never held in memory:
// events in the order of their evidence files (index events_source_row; each file is decompressed once for the
// records), with every value as the export's schema has it (model/export-schema.ts): ids and dictionary strings as
// text, times as ms since the epoch (UTC), flags as booleans, the trust label of the latest verify, the primary
// place and the original record text. Then findings, their events and the evidence files, likewise.

import type { Db } from './open.js';
import { EVENT_COLUMNS, EVENT_FLAGS, FLAG_COLUMNS } from '../model/event-columns.js';
import { EXPORT_EVENT_COLUMNS, EXPORT_FINDING_COLUMNS, EXPORT_FINDING_EVENT_COLUMNS, EXPORT_SOURCE_COLUMNS, RECORD_COLUMN, ODD_FIELDS_COLUMN } from '../model/export-schema.js';
import { ExportError } from '../model/errors.js';
import { unpackId } from './ids.js';
import { resolveStrings } from './strings.js';
import { readRecordBytes } from './bodies.js';
import { columnsValidFrom, findingTrust, oddFlagFrom, type StoredFinding } from './detections.js';
import { eventTrustSql, latestVerifyRun } from './trust.js';

/**
 * One exported value: text, a number (bigint columns; ms since the epoch for timestamps), a boolean or NULL; the
 * record may also be its bytes as in the evidence (a Buffer of UTF-8, or not: the writer decides).
 */
export type ExportValue = string | number | boolean | Buffer | null;

/** One events row: the values in EXPORT_EVENT_COLUMNS order, and its partition values. */
export interface ExportEventRow {
  values: ExportValue[];
  account: string | null;
  region: string | null;
}

export interface ExportReadOptions {
  /** Read each event's original record (false: the record column is NULL everywhere, `--no-records`). */
  records: boolean;
  /** Events read per query (default 5,000). */
  pageSize?: number;
}

const FIXED = ['e.id', 'e.source_id', 'e.record_index', 'e.byte_offset', 'e.byte_length', 'e.flags'];
const [ID, SID, IDX, OFF, LEN, FLAGS] = FIXED.map((_, i) => i);
const FIRST_COLUMN = FIXED.length;

/** The page query: events after a (source_id, record_index, id) position, in that order. */
function pageSql(): string {
  // The trust label as events_v shows it (index/trust.ts): the best over the event's places in the latest verify run.
  const cols = [...FIXED, ...EVENT_COLUMNS.map((c) => `e.${c.column}`), eventTrustSql('e.id')];
  return `SELECT ${cols.join(', ')} FROM events e WHERE (e.source_id, e.record_index, e.id) > (?, ?, ?) ORDER BY e.source_id, e.record_index, e.id LIMIT ?`;
}

/** The first events.id from which every typed column and the oddFields flag can be trusted (1: all rows). */
export function trustedColumnsFrom(db: Db): number {
  return Math.max(oddFlagFrom(db), ...columnsValidFrom(db).values(), 1);
}

/**
 * The events, page by page in evidence-file order, as export rows. A record that cannot be read (a --no-embed case
 * whose evidence moved or changed) throws ExportError naming the file, unless `records` is false.
 */
export function* exportEventPages(db: Db, options: ExportReadOptions): Generator<ExportEventRow[]> {
  const page = db.prepare(pageSql()).raw();
  const sourceOf = db.prepare('SELECT path, sha256 FROM sources WHERE id = ?').raw();
  const trustedFrom = trustedColumnsFrom(db);
  const size = options.pageSize ?? 5000;
  const stringCols = EVENT_COLUMNS.map((c, i) => (c.kind === 'string' ? FIRST_COLUMN + i : -1)).filter((i) => i >= 0);
  const accountAt = FIRST_COLUMN + EVENT_COLUMNS.findIndex((c) => c.column === 'recipient_account_id');
  const regionAt = FIRST_COLUMN + EVENT_COLUMNS.findIndex((c) => c.column === 'aws_region');
  const trustAt = FIRST_COLUMN + EVENT_COLUMNS.length;
  const expected = EXPORT_EVENT_COLUMNS.length;
  let source = { id: -1, path: '', sha256: '' };
  let after: [number, number, number] = [-1, -1, -1];
  for (;;) {
    const raw = page.all(...after, size) as unknown[][];
    if (raw.length === 0) return;
    const ids = new Set<number>();
    for (const r of raw) for (const i of stringCols) if (r[i] !== null) ids.add(r[i] as number);
    const strings = resolveStrings(db, ids);
    const out: ExportEventRow[] = [];
    for (const r of raw) {
      const id = r[ID] as number;
      const sid = r[SID] as number;
      const flags = r[FLAGS] as number;
      if (sid !== source.id) {
        const s = sourceOf.get(sid) as [string, string] | undefined;
        source = { id: sid, path: s?.[0] ?? '', sha256: s?.[1] ?? '' };
      }
      const values: ExportValue[] = [id];
      for (let i = 0; i < EVENT_COLUMNS.length; i++) {
        const v = r[FIRST_COLUMN + i];
        const kind = EVENT_COLUMNS[i].kind;
        if (v === null || v === undefined) values.push(null);
        else if (kind === 'string') values.push(strings.get(v as number) ?? null);
        else if (kind === 'id') values.push(unpackId(v));
        else if (kind === 'bool') values.push(v !== 0);
        else values.push(v as number | string);
      }
      for (const f of FLAG_COLUMNS) {
        const set = (flags & EVENT_FLAGS[f.flag]) !== 0;
        // Rows older than a column or than the oddFields check: their typed columns cannot be trusted.
        values.push(f.column === ODD_FIELDS_COLUMN ? set || id < trustedFrom : set);
      }
      values.push(r[trustAt] as string);
      values.push(source.path, source.sha256, r[IDX] as number);
      values.push(options.records && (flags & EVENT_FLAGS.partial) === 0 ? recordOf(db, source.path, sid, r) : null);
      if (values.length !== expected) throw new Error(`export row has ${values.length} values for ${expected} columns (model/export-schema.ts and index/export-rows.ts disagree)`);
      const acc = r[accountAt];
      const reg = r[regionAt];
      out.push({ values, account: acc === null ? null : (strings.get(acc as number) ?? null), region: reg === null ? null : (strings.get(reg as number) ?? null) });
    }
    const last = raw[raw.length - 1];
    after = [last[SID] as number, last[IDX] as number, last[ID] as number];
    yield out;
  }
}

function recordOf(db: Db, path: string, sid: number, r: unknown[]): Buffer | string | null {
  try {
    return readRecordBytes(db, sid, r[IDX] as number, r[OFF] as number | null, r[LEN] as number | null);
  } catch (err) {
    throw new ExportError(`cannot read the records of ${path}: ${(err as Error).message}; restore the evidence file, or export without the original records (--no-records)`);
  }
}

/** The record column's place in an events row. */
export const RECORD_AT = EXPORT_EVENT_COLUMNS.findIndex((c) => c.name === RECORD_COLUMN);

function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** The findings, as rows in EXPORT_FINDING_COLUMNS order (lists as arrays of text). */
export function exportFindingRows(db: Db): Array<Array<ExportValue | string[]>> {
  if (!hasTable(db, 'findings')) return [];
  const rows = db.prepare('SELECT finding_id, level_rank, first_time, last_time, event_count, body FROM findings ORDER BY finding_id').all() as Array<{
    finding_id: string;
    level_rank: number;
    first_time: number | null;
    last_time: number | null;
    event_count: number;
    body: string;
  }>;
  return rows.map((r) => {
    const f = JSON.parse(r.body) as StoredFinding;
    const byName: Record<string, ExportValue | string[]> = {
      finding_id: r.finding_id,
      rule_id: f.ruleId,
      title: f.title,
      level: f.level,
      level_rank: r.level_rank,
      pack: f.pack,
      author: f.author ?? null,
      outcome: f.outcome,
      first_time: r.first_time,
      last_time: r.last_time,
      event_count: r.event_count,
      actor_group: JSON.stringify(f.group ?? {}),
      principals: f.principals ?? [],
      access_key_ids: f.accessKeyIds ?? [],
      source_ips: f.sourceIps ?? [],
      accounts: f.accounts ?? [],
      regions: f.regions ?? [],
      error_codes: f.errorCodes ?? [],
      tags: f.tags ?? [],
      details: JSON.stringify(f.details ?? {}),
      trust: findingTrust(db, r.finding_id),
    };
    return EXPORT_FINDING_COLUMNS.map((c) => {
      if (!(c.name in byName)) throw new Error(`findings column ${c.name} has no value (index/export-rows.ts)`);
      return byName[c.name];
    });
  });
}

/** The events of every finding, page by page, as rows in EXPORT_FINDING_EVENT_COLUMNS order. */
export function* exportFindingEventPages(db: Db, pageSize = 10_000): Generator<ExportValue[][]> {
  if (!hasTable(db, 'finding_events')) return;
  const page = db
    .prepare('SELECT f.finding_id, f.event_row, e.event_id FROM finding_events f JOIN events e ON e.id = f.event_row WHERE (f.finding_id, f.event_row) > (?, ?) ORDER BY f.finding_id, f.event_row LIMIT ?')
    .raw();
  let after: [string, number] = ['', -1];
  if (EXPORT_FINDING_EVENT_COLUMNS.map((c) => c.name).join() !== 'finding_id,event_row,event_id') throw new Error('finding_events columns changed: update index/export-rows.ts');
  for (;;) {
    const raw = page.all(...after, pageSize) as Array<[string, number, unknown]>;
    if (raw.length === 0) return;
    yield raw.map((r) => [r[0], r[1], unpackId(r[2])]);
    const last = raw[raw.length - 1];
    after = [last[0], last[1]];
  }
}

/** The evidence files, page by page, as rows in EXPORT_SOURCE_COLUMNS order. */
export function* exportSourcePages(db: Db, pageSize = 10_000): Generator<ExportValue[][]> {
  const run = latestVerifyRun(db);
  const trust =
    run === null
      ? `CASE WHEN s.kind IN ('cloudtrail-log', 'cloudtrail-insight') THEN 'unverified' END`
      : `CASE WHEN s.kind IN ('cloudtrail-log', 'cloudtrail-insight') THEN coalesce((SELECT t.trust FROM integrity_source_trust t WHERE t.run_id = ${run} AND t.source_id = s.id), 'unverified') END`;
  const byName: Record<string, string> = {
    source_id: 's.id',
    path: 's.path',
    root: 's.root',
    sha256: 's.sha256',
    content_sha256: 's.content_sha256',
    size: 's.size',
    kind: 's.kind',
    s3_key: 's.s3_key',
    status: 's.status',
    records: 's.record_count',
    events: '(SELECT count(*) FROM events e WHERE e.source_id = s.id)',
    embedded: 's.embedded',
    trust,
  };
  const cols = EXPORT_SOURCE_COLUMNS.map((c) => {
    const sql = byName[c.name];
    if (!sql) throw new Error(`sources column ${c.name} has no value (index/export-rows.ts)`);
    return sql;
  });
  const embeddedAt = EXPORT_SOURCE_COLUMNS.findIndex((c) => c.name === 'embedded');
  const page = db.prepare(`SELECT ${cols.join(', ')} FROM sources s WHERE s.id > ? ORDER BY s.id LIMIT ?`).raw();
  let after = -1;
  for (;;) {
    const raw = page.all(after, pageSize) as ExportValue[][];
    if (raw.length === 0) return;
    for (const r of raw) r[embeddedAt] = r[embeddedAt] === 1;
    yield raw;
    after = raw[raw.length - 1][0] as number;
  }
}
