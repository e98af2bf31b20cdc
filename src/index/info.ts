// What a case holds: the `info` command's data (docs/json-output.md#info), as facts; the command prints them.

import type { Db } from './open.js';
import { stringValue } from './strings.js';
import { schemaVersion } from './open.js';
import { integrityStatus, integritySummary, type IntegrityStatus, type IntegritySummary } from './trust.js';
import { warningCountsByCode } from './warnings.js';
import { isoUtc } from '../model/time.js';

export interface CaseInfo {
  schemaVersion: number;
  events: number;
  occurrences: number;
  sources: Record<string, number>;
  sourceStatus: Record<string, number>;
  accounts: string[];
  regions: string[];
  timeRange: { start: string | null; end: string | null };
  categories: Record<string, number>;
  partialEvents: number;
  conflicts: number;
  warnings: number;
  /** Of those, severity error (a record or the rest of a file was skipped). */
  warningErrors: number;
  /** code → stored warnings, most frequent first (docs/ingest.md#warnings-and-problems). */
  warningsByCode: Record<string, number>;
  embeddedBytes: number;
  ingestRuns: number;
  lastIngest: string | null;
  /** The latest `verify --db` run, or null when the case was never verified. */
  integrity: IntegritySummary | null;
  /** Whether anything can be or was verified: no digests, digests never verified, verified (docs/json-output.md#info). */
  integrityStatus: IntegrityStatus;
}

export function caseInfo(db: Db): CaseInfo {
  const one = <T>(sql: string, ...p: unknown[]): T => db.prepare(sql).pluck().get(...p) as T;
  const sources: Record<string, number> = {};
  for (const r of db.prepare("SELECT kind, count(*) AS n FROM sources WHERE status IN ('done','skipped','failed') AND duplicate_of IS NULL GROUP BY kind ORDER BY kind").all() as Array<{ kind: string; n: number }>) sources[r.kind] = r.n;
  const sourceStatus: Record<string, number> = {};
  for (const r of db.prepare('SELECT status, count(*) AS n FROM sources GROUP BY status ORDER BY status').all() as Array<{ status: string; n: number }>) sourceStatus[r.status] = r.n;
  // One pass over events for categories and flag counts; accounts and regions by skip-scans of their indexes.
  const categories: Record<string, number> = {};
  let partialEvents = 0;
  let conflicts = 0;
  const byCategory = db
    .prepare('SELECT event_category AS c, count(*) AS n, sum((flags & 1) <> 0) AS p, sum((flags & 4) <> 0) AS k FROM events GROUP BY event_category')
    .all() as Array<{ c: number | null; n: number; p: number; k: number }>;
  for (const r of byCategory.sort((a, b) => b.n - a.n)) {
    categories[r.c === null ? 'unknown' : (stringValue(db, r.c) ?? 'unknown')] = r.n;
    partialEvents += r.p;
    conflicts += r.k;
  }
  const distinct = (col: string): string[] =>
    db.prepare(`SELECT s.value FROM (SELECT DISTINCT ${col} AS v FROM events WHERE ${col} IS NOT NULL) x JOIN strings s ON s.id = x.v ORDER BY s.value`).pluck().all() as string[];
  const accounts = distinct('recipient_account_id');
  const regions = distinct('aws_region');
  return {
    schemaVersion: schemaVersion(db),
    events: one<number>('SELECT count(*) FROM events'),
    occurrences: one<number>('SELECT count(*) FROM occurrences'),
    sources,
    sourceStatus,
    accounts,
    regions,
    timeRange: { start: isoUtc(one<number | null>('SELECT min(event_time) FROM events')), end: isoUtc(one<number | null>('SELECT max(event_time) FROM events')) },
    categories,
    partialEvents,
    conflicts,
    warnings: one<number>('SELECT count(*) FROM warnings'),
    warningErrors: one<number>("SELECT count(*) FROM warnings WHERE severity = 'error'"),
    warningsByCode: warningCountsByCode(db),
    embeddedBytes: one<number | null>('SELECT sum(length(data)) FROM source_blobs') ?? 0,
    ingestRuns: one<number>('SELECT count(*) FROM ingest_runs'),
    lastIngest: one<string | null>("SELECT max(finished_at) FROM ingest_runs WHERE status = 'done'") ?? null,
    integrity: integritySummary(db),
    integrityStatus: integrityStatus(db),
  };
}
