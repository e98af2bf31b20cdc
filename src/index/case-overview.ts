// What a case holds at a glance: activity histograms over time for a filter, the distinct accounts, regions and
// sources, counts by category and kind, warnings grouped by code, and the evidence roots. Facts only: the words
// are the caller's.

import type { Db } from './open.js';
import { buildSearch, type EventFilter } from './search.js';
import { hasUntimedEvents } from './event-pages.js';
import { stringValue } from './strings.js';

export interface HistogramBucket {
  /** Bucket start, ms since epoch (UTC). */
  start: number;
  count: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const SENTINEL_START = -7_777_777_777_777;
const SENTINEL_END = 8_777_777_777_777_777;

/**
 * Matching events per bucket of `unitMs` (UTC-aligned), ignoring the filter's time range and text: the histogram
 * shows the whole case so the user can pick a window. Only non-empty buckets are returned, oldest first.
 * Cost: two index seeks per non-empty bucket plus counting the matches (no sort, no table scan): it skips empty
 * stretches by asking for the next matching event after each bucket.
 */
export function activity(db: Db, filter: EventFilter, unitMs: number): HistogramBucket[] {
  const base: EventFilter = { ...filter, startMs: SENTINEL_START, endMs: SENTINEL_END, text: [] };
  const countQ = buildSearch(db, base, {});
  if (countQ.empty) return [];
  const nextQ = buildSearch(db, base, { order: 'oldest', limit: 1 });
  const slots = (q: { params: unknown[] }): [number, number] | null => {
    const a = q.params.lastIndexOf(SENTINEL_START);
    const b = q.params.lastIndexOf(SENTINEL_END);
    return a >= 0 && b >= 0 ? [a, b] : null;
  };
  const cs = slots(countQ);
  const ns = slots(nextQ);
  if (!cs || !ns) throw new Error('activity: the search query has no time bounds to bind');
  const count = db.prepare(`SELECT count(*) FROM (${countQ.sql.replace(/ ORDER BY [^)]*$/, '')})`).pluck();
  const next = db.prepare(`SELECT event_time FROM events WHERE id = (${nextQ.sql} LIMIT 1)`).pluck();
  const bind = (params: unknown[], at: [number, number], from: number, to: number): unknown[] => {
    const p = [...params];
    p[at[0]] = from;
    p[at[1]] = to;
    return p;
  };
  const out: HistogramBucket[] = [];
  let from = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const t = next.get(...bind(nextQ.params, ns, from, Number.MAX_SAFE_INTEGER)) as number | null | undefined;
    if (t == null) break;
    const start = Math.floor(t / unitMs) * unitMs;
    const end = start + unitMs;
    out.push({ start, count: count.get(...bind(countQ.params, cs, start, end - 1)) as number });
    from = end;
  }
  return out;
}

export interface ValueCount {
  value: string;
  events: number;
}

export interface OverviewFacts {
  events: number;
  firstTime: number | null;
  lastTime: number | null;
  untimed: boolean;
  /** recipientAccountId values, sorted (counts come with the details). */
  accounts: string[];
  /** awsRegion values, sorted. */
  regions: string[];
  /** Ingested files by kind (duplicates left out). */
  sources: Record<string, number>;
  warnings: number;
}

/** Distinct values of an indexed events column: one index seek per value (skip scan), no counting. */
function distinctValues(db: Db, col: string, index: string): string[] {
  const first = db.prepare(`SELECT ${col} FROM events INDEXED BY ${index} WHERE ${col} IS NOT NULL ORDER BY ${col} LIMIT 1`).pluck();
  const after = db.prepare(`SELECT ${col} FROM events INDEXED BY ${index} WHERE ${col} > ? ORDER BY ${col} LIMIT 1`).pluck();
  const out: string[] = [];
  let v = first.get() as number | undefined;
  while (v !== undefined && v !== null) {
    out.push(stringValue(db, v) ?? '(unknown)');
    v = after.get(v) as number | undefined;
  }
  return out.sort();
}

/** What the overview's first frame shows: index seeks and one index count, no table scan. */
export function overviewFacts(db: Db): OverviewFacts {
  const one = <T>(sql: string): T => db.prepare(sql).pluck().get() as T;
  const sources: Record<string, number> = {};
  for (const r of db.prepare("SELECT kind, count(*) AS n FROM sources WHERE status IN ('done','skipped','failed') AND duplicate_of IS NULL GROUP BY kind ORDER BY kind").all() as Array<{ kind: string; n: number }>) {
    sources[r.kind] = r.n;
  }
  return {
    events: one<number>('SELECT count(*) FROM events'),
    firstTime: one<number | null>('SELECT min(event_time) FROM events'),
    lastTime: one<number | null>('SELECT max(event_time) FROM events'),
    untimed: hasUntimedEvents(db),
    accounts: distinctValues(db, 'recipient_account_id', 'events_account'),
    regions: distinctValues(db, 'aws_region', 'events_region'),
    sources,
    warnings: one<number>('SELECT count(*) FROM warnings'),
  };
}

export interface OverviewDetails {
  /** Events per category ('unknown' when the event has none), most first. */
  categories: Record<string, number>;
  accounts: ValueCount[];
  regions: ValueCount[];
  partialEvents: number;
  conflicts: number;
}

/**
 * The overview's counts that need every event read (categories, per-account and per-region counts, flags), as a scan
 * in row-id chunks: call step() until it returns true, yielding to the event loop in between, so keys stay
 * responsive on big cases.
 */
export function overviewDetailsScan(db: Db, chunkRows = 25_000): { step(): boolean; result(): OverviewDetails; progress(): number } {
  const maxId = (db.prepare('SELECT max(id) FROM events').pluck().get() as number | null) ?? 0;
  const stmt = db.prepare(
    `SELECT event_category AS c, recipient_account_id AS a, aws_region AS r, count(*) AS n, sum(flags & 1 != 0) AS partial, sum(flags & 4 != 0) AS conflicts
     FROM events WHERE id > ? AND id <= ? GROUP BY event_category, recipient_account_id, aws_region`,
  );
  const cats = new Map<number | null, number>();
  const accts = new Map<number | null, number>();
  const regs = new Map<number | null, number>();
  const add = (m: Map<number | null, number>, k: number | null, n: number): void => {
    m.set(k, (m.get(k) ?? 0) + n);
  };
  let partialEvents = 0;
  let conflicts = 0;
  let done = 0;
  const named = (m: Map<number | null, number>, none: string): ValueCount[] =>
    [...m.entries()]
      .map(([k, n]) => ({ value: k === null ? none : (stringValue(db, k) ?? '(unknown)'), events: n }))
      .sort((x, y) => y.events - x.events || x.value.localeCompare(y.value));
  return {
    step(): boolean {
      if (done >= maxId) return true;
      const to = Math.min(maxId, done + chunkRows);
      for (const r of stmt.all(done, to) as Array<{ c: number | null; a: number | null; r: number | null; n: number; partial: number; conflicts: number }>) {
        add(cats, r.c, r.n);
        add(accts, r.a, r.n);
        add(regs, r.r, r.n);
        partialEvents += r.partial;
        conflicts += r.conflicts;
      }
      done = to;
      return done >= maxId;
    },
    progress: () => (maxId === 0 ? 1 : done / maxId),
    result: () => ({
      categories: Object.fromEntries(named(cats, 'unknown').map((v) => [v.value, v.events])),
      accounts: named(accts, '(none)'),
      regions: named(regs, '(none)'),
      partialEvents,
      conflicts,
    }),
  };
}

/** The overview's details in one go (tests, bench). */
export function overviewDetails(db: Db): OverviewDetails {
  const scan = overviewDetailsScan(db);
  while (!scan.step()) {
    // next chunk
  }
  return scan.result();
}

export interface WarningGroup {
  code: string;
  severity: string;
  count: number;
  /** One example: file and message. */
  file: string;
  message: string;
}

/** Ingest warnings grouped by code, most frequent first. */
export function warningGroups(db: Db, limit = 20): WarningGroup[] {
  return db
    .prepare(
      `SELECT w.code, w.severity, g.n AS count, w.file, w.message FROM
         (SELECT code, count(*) AS n, min(id) AS first FROM warnings GROUP BY code) g JOIN warnings w ON w.id = g.first
       ORDER BY g.n DESC, w.code LIMIT ?`,
    )
    .all(limit) as WarningGroup[];
}

/** The evidence roots the case was ingested from (exports must never be written inside them). */
export function evidenceRoots(db: Db): string[] {
  return db.prepare('SELECT DISTINCT root FROM sources ORDER BY root').pluck().all() as string[];
}
