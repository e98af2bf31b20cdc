// Event trust labels from the latest `trailhound verify --db` run (spec §6.4): an event is `proven` when one of
// its occurrences is in a log file whose hash matches a verified digest, `provisional` when the best is a hash
// match against unverifiable digests only, `unverified` otherwise (and when the case was never verified).

import type Database from 'better-sqlite3';
import { TRUST_LABELS, type TrustLabel } from '../model/integrity.js';

/** A connection (not imported from open.ts, which imports views.ts, which imports this file). */
type Db = Database.Database;


/** SQL for the id of the latest finished verify run (NULL when none). */
const LATEST_RUN = '(SELECT max(id) FROM integrity_runs WHERE finished_at IS NOT NULL)';

/**
 * SQL for the best trust label of the event whose events.id is `eventRowExpr` (the label of its best occurrence in
 * the latest finished verify run; 'unverified' when none): what the `events_v` view shows (views.ts).
 */
export function eventTrustSql(eventRowExpr: string): string {
  const labels = TRUST_LABELS.map((l, rank) => `WHEN ${rank} THEN '${l}'`).join(' ');
  return `coalesce((SELECT CASE min(r) ${labels} ELSE 'unverified' END FROM (
    SELECT t.rank AS r FROM events p JOIN integrity_source_trust t ON t.source_id = p.source_id
    WHERE p.id = ${eventRowExpr} AND t.run_id = ${LATEST_RUN}
    UNION ALL
    SELECT t.rank FROM extra_occurrences o JOIN integrity_source_trust t ON t.source_id = o.source_id
    WHERE o.event_id = ${eventRowExpr} AND t.run_id = ${LATEST_RUN})), 'unverified')`;
}

/** The latest finished verify run's id, or null (never verified). */
export function latestVerifyRun(db: Db): number | null {
  if (!hasIntegrityTables(db)) return null;
  return (db.prepare(`SELECT ${LATEST_RUN} AS id`).pluck().get() as number | null) ?? null;
}

function hasIntegrityTables(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'integrity_runs'").get() !== undefined;
}

/** Best trust label over each event's occurrences; 'unverified' when no verify run exists. */
export function trustForEvents(db: Db, eventRowIds: readonly number[]): Map<number, TrustLabel> {
  const out = new Map<number, TrustLabel>();
  for (const id of eventRowIds) out.set(id, 'unverified');
  if (eventRowIds.length === 0 || !hasIntegrityTables(db)) return out;
  const runId = db.prepare(`SELECT ${LATEST_RUN} AS id`).pluck().get() as number | null;
  if (runId === null) return out;
  const CHUNK = 500;
  for (let i = 0; i < eventRowIds.length; i += CHUNK) {
    const ids = eventRowIds.slice(i, i + CHUNK);
    const list = ids.map(() => '?').join(',');
    const rows = db
      .prepare(
        `SELECT id, min(rank) AS rank FROM (
           SELECT p.id AS id, t.rank AS rank FROM events p
           JOIN integrity_source_trust t ON t.run_id = ? AND t.source_id = p.source_id WHERE p.id IN (${list})
           UNION ALL
           SELECT o.event_id, t.rank FROM extra_occurrences o
           JOIN integrity_source_trust t ON t.run_id = ? AND t.source_id = o.source_id WHERE o.event_id IN (${list}))
         GROUP BY id`,
      )
      .all(runId, ...ids, runId, ...ids) as Array<{ id: number; rank: number }>;
    for (const r of rows) out.set(r.id, TRUST_LABELS[r.rank] ?? 'unverified');
  }
  return out;
}

/**
 * A WHERE-clause fragment on `events e` selecting events whose best label is `label` (search --trust).
 * Usage: `WHERE ${f.sql}` with `f.params` appended to the statement's parameters.
 */
export function trustFilterSql(label: TrustLabel): { sql: string; params: unknown[] } {
  if (!TRUST_LABELS.includes(label)) throw new Error(`unknown trust label ${String(label)}: use one of ${TRUST_LABELS.join(', ')}`);
  // Events with an occurrence at that rank: their first-seen file, or a further one. Each takes the rank twice.
  const atRank = (op: string) =>
    `SELECT p.id FROM integrity_source_trust t JOIN events p ON p.source_id = t.source_id WHERE t.run_id = ${LATEST_RUN} AND t.rank ${op} ?
     UNION ALL SELECT o.event_id FROM integrity_source_trust t JOIN extra_occurrences o ON o.source_id = t.source_id WHERE t.run_id = ${LATEST_RUN} AND t.rank ${op} ?`;
  if (label === 'proven') return { sql: `e.id IN (${atRank('=')})`, params: [0, 0] };
  if (label === 'provisional') return { sql: `(e.id IN (${atRank('=')}) AND e.id NOT IN (${atRank('=')}))`, params: [1, 1, 0, 0] };
  return { sql: `e.id NOT IN (${atRank('<=')})`, params: [1, 1] };
}

export interface IntegritySummary {
  runId: number;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  digests: Record<string, number>;
  logs: Record<string, number>;
  findings: Record<string, number>;
  /** Ingested source files by trust label (files never matched count as unverified). */
  sources: Record<TrustLabel, number>;
  verifiedFrom: string | null;
  verifiedTo: string | null;
}

/**
 * Where the case stands on integrity, for the plain sentence every trust summary prints (report/info.ts
 * integrityText):
 * - `no_digests`: no digest file was ingested and the latest verify run (if any) found none: nothing can be proven;
 * - `not_verified`: digest files are in the case but no verify run is stored;
 * - `verified`: a verify run is stored (`integritySummary` has its counts).
 */
export type IntegrityState = 'no_digests' | 'not_verified' | 'verified';

export interface IntegrityStatus {
  state: IntegrityState;
  /** Digest files ingested into the case (copies counted once). */
  digestFiles: number;
  /** CloudTrail log files ingested (copies counted once): the files a verify run can label. */
  logFiles: number;
  /** Unique events in the case. */
  events: number;
}

/** The case's integrity state (cheap: counts over sources and the latest run's digests). */
export function integrityStatus(db: Db): IntegrityStatus {
  const count = (kinds: string) =>
    db.prepare(`SELECT count(*) FROM sources WHERE kind IN (${kinds}) AND duplicate_of IS NULL`).pluck().get() as number;
  const digestFiles = count("'cloudtrail-digest'");
  const logFiles = count("'cloudtrail-log', 'cloudtrail-insight'");
  const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  const runId = latestVerifyRun(db);
  const runDigests = runId === null ? 0 : (db.prepare('SELECT count(*) FROM integrity_digests WHERE run_id = ?').pluck().get(runId) as number);
  const state: IntegrityState = digestFiles === 0 && runDigests === 0 ? 'no_digests' : runId === null ? 'not_verified' : 'verified';
  return { state, digestFiles, logFiles, events };
}

/** The latest verify run for `info` and the TUI overview, or null when the case was never verified. */
export function integritySummary(db: Db): IntegritySummary | null {
  if (!hasIntegrityTables(db)) return null;
  const run = db.prepare(`SELECT id, started_at, finished_at, exit_code, summary FROM integrity_runs WHERE id = ${LATEST_RUN}`).get() as
    | { id: number; started_at: string; finished_at: string; exit_code: number; summary: string }
    | undefined;
  if (!run) return null;
  const group = (table: string, col: string) =>
    Object.fromEntries(
      (db.prepare(`SELECT ${col} AS k, count(*) AS n FROM ${table} WHERE run_id = ? GROUP BY ${col} ORDER BY ${col}`).all(run.id) as Array<{ k: string; n: number }>).map((r) => [r.k, r.n]),
    );
  const trusted = db
    .prepare(
      `SELECT COALESCE(t.trust, 'unverified') AS k, count(*) AS n FROM sources s
       LEFT JOIN integrity_source_trust t ON t.run_id = ? AND t.source_id = s.id
       WHERE s.kind IN ('cloudtrail-log', 'cloudtrail-insight') AND s.duplicate_of IS NULL GROUP BY k`,
    )
    .all(run.id) as Array<{ k: TrustLabel; n: number }>;
  const sources: Record<TrustLabel, number> = { proven: 0, provisional: 0, unverified: 0 };
  for (const t of trusted) sources[t.k] = t.n;
  const summary = JSON.parse(run.summary) as { verifiedFrom?: string | null; verifiedTo?: string | null };
  return {
    runId: run.id,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    exitCode: run.exit_code,
    digests: group('integrity_digests', 'status'),
    logs: group('integrity_logs', 'status'),
    findings: group('integrity_findings', 'kind'),
    sources,
    verifiedFrom: summary.verifiedFrom ?? null,
    verifiedTo: summary.verifiedTo ?? null,
  };
}
