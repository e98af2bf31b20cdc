// Where a case file's bytes go (`info --stats`, and the bench's case-size measure): the bytes of every table and
// index b-tree, read from SQLite's dbstat virtual table, with the free pages, the total, the bytes per unique
// event and the share of the file that is embedded evidence (source_blobs). Read-only: it only reads pages.

import type { Db } from './open.js';

export interface CaseStatsPart {
  /** Table or index name as in sqlite_schema (`sqlite_autoindex_*` for UNIQUE and PRIMARY KEY constraints). */
  name: string;
  type: 'table' | 'index';
  /** The table the index belongs to (the table itself for a table). */
  table: string;
  bytes: number;
  pages: number;
}

export interface CaseStatsTable {
  name: string;
  /** The table's own b-tree (rows, with the overflow pages of long rows). */
  bytes: number;
  /** Its indexes together. */
  indexBytes: number;
  /** bytes + indexBytes. */
  totalBytes: number;
}

export interface CaseStats {
  /** Size of the case file (page count × page size; the -wal file is not counted). */
  fileBytes: number;
  pageSize: number;
  /** Pages on the free list (space SQLite will reuse; VACUUM gives it back). */
  freeBytes: number;
  /** Every table and index b-tree, largest first. */
  parts: CaseStatsPart[];
  /** Per table, its b-tree and its indexes, largest total first. */
  tables: CaseStatsTable[];
  /** Bytes of all tables, of all indexes. */
  tableBytes: number;
  indexBytes: number;
  /** Unique events in the case. */
  events: number;
  /** fileBytes ÷ events (null when the case has no events). */
  bytesPerEvent: number | null;
  /** Bytes of the embedded evidence (the source_blobs b-tree and its indexes). */
  evidenceBytes: number;
  /** evidenceBytes ÷ fileBytes, 0..1. */
  evidenceShare: number;
  /** fileBytes without the embedded evidence, ÷ events (what the index itself costs per event). */
  bytesPerEventWithoutEvidence: number | null;
}

const EVIDENCE_TABLE = 'source_blobs';

/** The case file's bytes by table and index (one pass over its pages through dbstat). */
export function caseStats(db: Db): CaseStats {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const freePages = db.pragma('freelist_count', { simple: true }) as number;
  const owners = new Map<string, { type: 'table' | 'index'; table: string }>();
  for (const r of db.prepare("SELECT type, name, tbl_name AS tbl FROM main.sqlite_schema WHERE type IN ('table','index')").all() as Array<{ type: 'table' | 'index'; name: string; tbl: string }>) {
    owners.set(r.name, { type: r.type, table: r.tbl });
  }
  owners.set('sqlite_schema', { type: 'table', table: 'sqlite_schema' });
  // aggregate=TRUE: one row per b-tree (its page count and bytes), main schema only.
  const rows = db.prepare("SELECT name, pageno AS pages, pgsize AS bytes FROM dbstat('main', 1)").all() as Array<{ name: string; pages: number; bytes: number }>;
  const parts: CaseStatsPart[] = rows.map((r) => {
    const o = owners.get(r.name) ?? { type: 'table' as const, table: r.name };
    return { name: r.name, type: o.type, table: o.table, bytes: r.bytes, pages: r.pages };
  });
  parts.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
  const byTable = new Map<string, CaseStatsTable>();
  for (const p of parts) {
    const t = byTable.get(p.table) ?? { name: p.table, bytes: 0, indexBytes: 0, totalBytes: 0 };
    if (p.type === 'table') t.bytes += p.bytes;
    else t.indexBytes += p.bytes;
    t.totalBytes += p.bytes;
    byTable.set(p.table, t);
  }
  const tables = [...byTable.values()].sort((a, b) => b.totalBytes - a.totalBytes || a.name.localeCompare(b.name));
  const fileBytes = pageCount * pageSize;
  const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  const evidenceBytes = byTable.get(EVIDENCE_TABLE)?.totalBytes ?? 0;
  const sum = (type: 'table' | 'index') => parts.filter((p) => p.type === type).reduce((a, p) => a + p.bytes, 0);
  return {
    fileBytes,
    pageSize,
    freeBytes: freePages * pageSize,
    parts,
    tables,
    tableBytes: sum('table'),
    indexBytes: sum('index'),
    events,
    bytesPerEvent: events > 0 ? Math.round(fileBytes / events) : null,
    evidenceBytes,
    evidenceShare: fileBytes > 0 ? Math.round((evidenceBytes / fileBytes) * 1000) / 1000 : 0,
    bytesPerEventWithoutEvidence: events > 0 ? Math.round((fileBytes - evidenceBytes) / events) : null,
  };
}
