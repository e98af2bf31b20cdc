// Reading the warnings stored in a case (the `warnings` table, written by ingest through CaseWriter.addWarning):
// filtered lists for `trailhound warnings`, per-code summaries for it, for `info` and for ingest's closing lines.

import type { WarningSeverity } from '../model/types.js';
import { isoUtc } from '../model/time.js';
import type { Db } from './open.js';

/** Every given field must match; a list means "any of these". */
export interface WarningFilter {
  severity?: WarningSeverity;
  codes?: string[];
  /** SQLite GLOB patterns over the file path (`*` also matches `/`; case-sensitive). */
  files?: string[];
  /** Only warnings of this ingest run (ingest_runs.id). */
  runId?: number;
}

/** One stored warning (docs/json-output.md#warnings). */
export interface StoredWarning {
  runId: number | null;
  /** When the ingest run that stored it started, ISO 8601 UTC. */
  runStartedAt: string | null;
  severity: WarningSeverity;
  code: string;
  /** The evidence file, relative to the root given to ingest. */
  file: string;
  /** That root (null when the warning is not tied to a source row). */
  root: string | null;
  recordIndex: number | null;
  message: string;
}

/** Warnings of one code and severity. */
export interface WarningCodeSummary {
  code: string;
  severity: WarningSeverity;
  count: number;
  /** Distinct files. */
  files: number;
  /** Warnings about one record (the others are about a whole file). */
  records: number;
  /** The first such warning: its file and record index. */
  exampleFile: string;
  exampleRecordIndex: number | null;
}

function where(filter: WarningFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.severity) {
    parts.push('w.severity = ?');
    params.push(filter.severity);
  }
  if (filter.codes && filter.codes.length) {
    parts.push(`w.code IN (${filter.codes.map(() => '?').join(',')})`);
    params.push(...filter.codes);
  }
  if (filter.files && filter.files.length) {
    parts.push(`(${filter.files.map(() => 'w.file GLOB ?').join(' OR ')})`);
    params.push(...filter.files);
  }
  if (filter.runId !== undefined) {
    parts.push('w.run_id = ?');
    params.push(filter.runId);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export function countWarnings(db: Db, filter: WarningFilter = {}): number {
  const w = where(filter);
  return db.prepare(`SELECT count(*) FROM warnings w ${w.sql}`).pluck().get(...w.params) as number;
}

/** Stored warnings in the order ingest wrote them; `limit` null or undefined for all. */
export function listWarnings(db: Db, filter: WarningFilter = {}, options: { limit?: number | null } = {}): { rows: StoredWarning[]; total: number; truncated: boolean } {
  const w = where(filter);
  const limit = options.limit ?? null;
  const raw = db
    .prepare(
      `SELECT w.run_id AS runId, r.started_at AS startedAt, w.severity, w.code, w.file, s.root, w.record_index AS recordIndex, w.message
       FROM warnings w LEFT JOIN ingest_runs r ON r.id = w.run_id LEFT JOIN sources s ON s.id = w.source_id
       ${w.sql} ORDER BY w.id${limit !== null ? ' LIMIT ?' : ''}`,
    )
    .all(...w.params, ...(limit !== null ? [limit] : [])) as Array<Omit<StoredWarning, 'runStartedAt'> & { startedAt: string | null }>;
  const rows = raw.map(({ startedAt, ...r }) => ({
    runId: r.runId,
    runStartedAt: startedAt === null ? null : (isoUtc(Date.parse(startedAt)) ?? startedAt),
    severity: r.severity,
    code: r.code,
    file: r.file,
    root: r.root,
    recordIndex: r.recordIndex,
    message: r.message,
  }));
  const total = limit !== null && rows.length >= limit ? countWarnings(db, filter) : rows.length;
  return { rows, total, truncated: total > rows.length };
}

/** Counts per code and severity, most frequent first, each with its first file as an example. */
export function summarizeWarnings(db: Db, filter: WarningFilter = {}): WarningCodeSummary[] {
  const w = where(filter);
  return db
    .prepare(
      `SELECT g.code, g.severity, g.n AS count, g.files, g.records, x.file AS exampleFile, x.record_index AS exampleRecordIndex
       FROM (SELECT w.code, w.severity, count(*) AS n, count(DISTINCT w.file) AS files, count(w.record_index) AS records, min(w.id) AS first
             FROM warnings w ${w.sql} GROUP BY w.code, w.severity) g
       JOIN warnings x ON x.id = g.first
       ORDER BY g.n DESC, g.code, g.severity`,
    )
    .all(...w.params) as WarningCodeSummary[];
}

/** code → number of stored warnings, most frequent first. */
export function warningCountsByCode(db: Db): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of db.prepare('SELECT code, count(*) AS n FROM warnings GROUP BY code ORDER BY n DESC, code').all() as Array<{ code: string; n: number }>) out[r.code] = r.n;
  return out;
}
