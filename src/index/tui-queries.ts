// Queries the terminal UI needs that the search API does not offer: keyset-paged event lists (newest first, in
// either direction, never OFFSET), match counts, counts of matches before a row (scroll position), activity
// histograms, warning summaries and the evidence roots. Every list query goes through buildSearch (src/index/search.ts)
// so the TUI applies exactly the filters `trailhound search` applies; only the keyset bound is added here.

import type { Db } from './open.js';
import { packId, unpackId } from './ids.js';
import { readEventBodies } from './bodies.js';
import { buildSearch, type EventFilter } from './search.js';
import { fetchEventRows, type EventRow } from './event-rows.js';

/** A position in the newest-first list: the event time (null for events without one) and the row id. */
export interface ListCursor {
  time: number | null;
  id: number;
}

/**
 * Where a page starts: 'top' (the newest match), 'bottom' (the oldest), or strictly after / before a row.
 * 'older' walks down the newest-first list, 'newer' walks up.
 */
export type PageFrom = { kind: 'top' } | { kind: 'bottom' } | { kind: 'older'; cursor: ListCursor } | { kind: 'newer'; cursor: ListCursor };

export interface PageOptions {
  /** Rows wanted. */
  limit: number;
  /** Text filters only: at most this many candidate events read per call (default 2000). */
  scanBudget?: number;
}

export interface EventPage {
  /** Rows in list order (newest first), whichever direction was asked. */
  rows: EventRow[];
  /** True when no further matching row exists in the direction asked. */
  exhausted: boolean;
  /**
   * Text filters: the last candidate read when the scan budget ran out before `limit` rows were found
   * (continue from here with the same direction); null otherwise.
   */
  resume: ListCursor | null;
  /** Candidate events read (text filters), or rows fetched. */
  scanned: number;
}

const nullTimeCache = new WeakMap<Db, boolean>();

/** Whether any event lacks an event time (they sort after every timed event, newest first). */
export function hasUntimedEvents(db: Db): boolean {
  let v = nullTimeCache.get(db);
  if (v === undefined) {
    v = db.prepare('SELECT 1 FROM events INDEXED BY events_time WHERE event_time IS NULL LIMIT 1').get() !== undefined;
    nullTimeCache.set(db, v);
  }
  return v;
}

function withExtra(filter: EventFilter, sql: string, params: unknown[]): EventFilter {
  return { ...filter, extraSql: [...(filter.extraSql ?? []), { sql, params }] };
}

/** The segments (timed, then untimed) a page walks, as filters ordered the way the page reads them. */
function segments(db: Db, filter: EventFilter, from: PageFrom): Array<{ filter: EventFilter; order: 'newest' | 'oldest' }> {
  const untimed = hasUntimedEvents(db) && filter.startMs == null && filter.endMs == null;
  const out: Array<{ filter: EventFilter; order: 'newest' | 'oldest' }> = [];
  const timed = (f: EventFilter) => (untimed ? withExtra(f, 'e.event_time IS NOT NULL', []) : f);
  switch (from.kind) {
    case 'top':
      out.push({ filter: timed(filter), order: 'newest' });
      if (untimed) out.push({ filter: withExtra(filter, 'e.event_time IS NULL', []), order: 'newest' });
      break;
    case 'bottom':
      if (untimed) out.push({ filter: withExtra(filter, 'e.event_time IS NULL', []), order: 'oldest' });
      out.push({ filter: timed(filter), order: 'oldest' });
      break;
    case 'older': {
      const c = from.cursor;
      if (c.time !== null) {
        // The bound rides on the driving index as an end time; the strict tie-break on id is checked per row.
        const endMs = filter.endMs == null ? c.time : Math.min(filter.endMs, c.time);
        out.push({ filter: withExtra({ ...filter, endMs }, '(e.event_time < ? OR e.id < ?)', [c.time, c.id]), order: 'newest' });
        if (untimed) out.push({ filter: withExtra(filter, 'e.event_time IS NULL', []), order: 'newest' });
      } else if (untimed) {
        out.push({ filter: withExtra(filter, 'e.event_time IS NULL AND e.id < ?', [c.id]), order: 'newest' });
      }
      break;
    }
    case 'newer': {
      const c = from.cursor;
      if (c.time !== null) {
        const startMs = filter.startMs == null ? c.time : Math.max(filter.startMs, c.time);
        out.push({ filter: withExtra({ ...filter, startMs }, '(e.event_time > ? OR e.id > ?)', [c.time, c.id]), order: 'oldest' });
      } else {
        if (untimed) out.push({ filter: withExtra(filter, 'e.event_time IS NULL AND e.id > ?', [c.id]), order: 'oldest' });
        out.push({ filter: timed(filter), order: 'oldest' });
      }
      break;
    }
  }
  return out;
}

function timeOf(db: Db, id: number): number | null {
  return (db.prepare('SELECT event_time FROM events WHERE id = ?').pluck().get(id) as number | null | undefined) ?? null;
}

/**
 * One page of matching events, newest first, starting at `from`. Uses keyset bounds on (event_time, id), so the
 * cost is that of the page, not of its position in the list. Text filters read candidate bodies, at most
 * `scanBudget` per call: when the budget runs out, `resume` says where to continue.
 */
export function pageEvents(db: Db, filter: EventFilter, from: PageFrom, options: PageOptions): EventPage {
  const limit = Math.max(1, Math.floor(options.limit));
  const budget = Math.max(1, options.scanBudget ?? 2000);
  const needles = (filter.text ?? []).map((t) => t.toLowerCase()).filter((t) => t.length > 0);
  const ids: number[] = [];
  let scanned = 0;
  let resume: ListCursor | null = null;
  let exhausted = true;
  for (const seg of segments(db, filter, from)) {
    const q = buildSearch(db, { ...seg.filter, text: [] }, { limit, order: seg.order });
    if (q.empty) continue;
    if (needles.length === 0) {
      const want = limit - ids.length + 1;
      const got = db.prepare(`${q.sql} LIMIT ${want}`).pluck().all(...q.params) as number[];
      scanned += got.length;
      if (got.length === want) {
        ids.push(...got.slice(0, want - 1));
        exhausted = false;
        break;
      }
      ids.push(...got);
      continue;
    }
    let batch: number[] = [];
    let last: number | null = null;
    let stop = false;
    const flush = (): void => {
      const bodies = readEventBodies(db, batch);
      for (const id of batch) {
        if (stop) break;
        last = id;
        const body = bodies.get(id);
        if (body && needles.every((n) => body.json.toLowerCase().includes(n))) {
          if (ids.length >= limit) {
            exhausted = false;
            stop = true;
            break;
          }
          ids.push(id);
        }
      }
      batch = [];
    };
    for (const id of db.prepare(q.sql).pluck().iterate(...q.params) as Iterable<number>) {
      batch.push(id);
      scanned++;
      if (batch.length >= 200) flush();
      if (stop) break;
      if (scanned >= budget && ids.length < limit) {
        flush();
        if (!stop && ids.length < limit) {
          resume = { time: last === null ? null : timeOf(db, last), id: last ?? id };
          exhausted = false;
          stop = true;
        }
        break;
      }
    }
    if (!stop && batch.length) flush();
    if (stop) break;
  }
  const rows = fetchEventRows(db, ids);
  const ordered = from.kind === 'bottom' || from.kind === 'newer' ? rows.reverse() : rows;
  return { rows: ordered, exhausted, resume, scanned };
}

export interface MatchCount {
  count: number;
  /** False for text filters: `count` is then the number of candidates (an upper bound). */
  exact: boolean;
}

function countSql(db: Db, filter: EventFilter): { sql: string; params: unknown[] } | null {
  const q = buildSearch(db, { ...filter, text: [] }, {});
  if (q.empty) return null;
  return { sql: `SELECT count(*) FROM (${q.sql.replace(/ ORDER BY [^)]*$/, '')})`, params: q.params };
}

/** How many events match (an upper bound for text filters, which would need every body read). */
export function countMatches(db: Db, filter: EventFilter): MatchCount {
  const exact = (filter.text ?? []).every((t) => t.length === 0);
  const q = countSql(db, filter);
  if (!q) return { count: 0, exact: true };
  return { count: db.prepare(q.sql).pluck().get(...q.params) as number, exact };
}

/** How many matches come before the row in the newest-first list (its 0-based position). Not for text filters. */
export function countBefore(db: Db, filter: EventFilter, cursor: ListCursor): number {
  let n = 0;
  if (cursor.time !== null) {
    const startMs = filter.startMs == null ? cursor.time : Math.max(filter.startMs, cursor.time);
    const q = countSql(db, withExtra({ ...filter, startMs }, '(e.event_time > ? OR e.id > ?)', [cursor.time, cursor.id]));
    if (q) n += db.prepare(q.sql).pluck().get(...q.params) as number;
  } else {
    const timed = countSql(db, withExtra(filter, 'e.event_time IS NOT NULL', []));
    if (timed) n += db.prepare(timed.sql).pluck().get(...timed.params) as number;
    const q = countSql(db, withExtra(filter, 'e.event_time IS NULL AND e.id > ?', [cursor.id]));
    if (q) n += db.prepare(q.sql).pluck().get(...q.params) as number;
  }
  return n;
}

/** The first row at or before a time in the newest-first list (for "jump to time"); null when none. */
export function cursorAtTime(db: Db, filter: EventFilter, ms: number): ListCursor | null {
  const page = pageEvents(db, filter, { kind: 'older', cursor: { time: ms, id: Number.MAX_SAFE_INTEGER } }, { limit: 1 });
  const r = page.rows[0];
  return r ? { time: r.eventTime, id: r.id } : null;
}

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
  const name = db.prepare('SELECT value FROM strings WHERE id = ?').pluck();
  const out: string[] = [];
  let v = first.get() as number | undefined;
  while (v !== undefined && v !== null) {
    out.push((name.get(v) as string | undefined) ?? '(unknown)');
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
  const name = db.prepare('SELECT value FROM strings WHERE id = ?').pluck();
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
      .map(([k, n]) => ({ value: k === null ? none : ((name.get(k) as string | undefined) ?? '(unknown)'), events: n }))
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

/** eventIDs of the events with these requestIDs (the "same request" jump). */
export function eventIdsByRequestIds(db: Db, requestIds: readonly string[]): string[] {
  const stmt = db.prepare('SELECT event_id FROM events INDEXED BY events_request WHERE request_id = ?').pluck();
  const out: string[] = [];
  for (const r of requestIds) for (const v of stmt.all(packId(r))) out.push(unpackId(v) ?? '');
  return out.filter((x) => x !== '');
}
