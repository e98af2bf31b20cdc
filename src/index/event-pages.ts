// Event lists a screen pages through: keyset-paged (newest first, in either direction, never OFFSET), match counts,
// the position of a row in the list, "jump to time". Every list goes through buildSearch (search.ts), so a list
// applies exactly the filters `trailhound search` applies; only the keyset bounds are added here.

import type { Db } from './open.js';
import { readEventBodies } from './bodies.js';
import { buildSearch, type BoundedFilter, type EventFilter } from './search.js';
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

function withExtra(filter: BoundedFilter, sql: string, params: unknown[]): BoundedFilter {
  return { ...filter, bounds: [...(filter.bounds ?? []), { sql, params }] };
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
        if (!stop) {
          // The budget ran out: more may follow. Resume after the last body read; when the last batch filled the
          // page exactly, the caller continues after its last row instead.
          if (ids.length < limit) resume = { time: last === null ? null : timeOf(db, last), id: last ?? id };
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
