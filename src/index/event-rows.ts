// Event rows read back from a case: the one decoder. The SELECT list and the decoding follow the column registry
// (model/event-columns.ts). Rows are read raw from `events` (no join: the 21-join view is an order of magnitude
// slower for tens of thousands of rows), identifiers come back as text from SQL (idTextSql), and the string ids are
// resolved once per distinct id through the per-connection cache in strings.ts.

import type { Statement } from 'better-sqlite3';
import type { Db } from './open.js';
import type { EventColumns, EventResource } from '../model/types.js';
import { EVENT_COLUMNS } from '../model/event-columns.js';
import { idTextSql } from './ids.js';
import { resolveStrings } from './strings.js';

/** One event as commands list it: every registry column (strings resolved), the row's bookkeeping and resources. */
export interface EventRow extends EventColumns {
  /** events.id: the row id that bodies, occurrences, resources and trust are keyed by. */
  id: number;
  /** Bits of EVENT_FLAGS. */
  flags: number;
  /** Where the body comes from: sources.id and the record's index in that file. */
  sourceId: number;
  recordIndex: number;
  resources: EventResource[];
}

const SELECT_LIST = ['e.id', ...EVENT_COLUMNS.map((c) => (c.kind === 'id' ? idTextSql(`e.${c.column}`) : `e.${c.column}`)), 'e.flags', 'e.source_id', 'e.record_index'].join(', ');
const FIRST = 1;
const TAIL = FIRST + EVENT_COLUMNS.length;
const STRING_POSITIONS = EVENT_COLUMNS.flatMap((c, i) => (c.kind === 'string' ? [FIRST + i] : []));

type Stmt = Statement<unknown[]>;
const cache = new WeakMap<Db, Map<string, Stmt>>();

/** A statement prepared once per connection. */
function prep(db: Db, sql: string): Stmt {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

/**
 * Rows of the events whose row ids `idSql` selects (a SELECT of one column, with `params`), in no particular order.
 * The id query is the caller's: a search (search.ts), a list of ids, a join through event_resources…
 */
export function queryEventRows(db: Db, idSql: string, params: readonly unknown[]): EventRow[] {
  const raw = prep(db, `SELECT ${SELECT_LIST} FROM events e WHERE e.id IN (${idSql})`).raw().all(...params) as unknown[][];
  if (raw.length === 0) return [];
  const need: number[] = [];
  for (const r of raw) for (const p of STRING_POSITIONS) if (r[p] !== null) need.push(r[p] as number);
  const resources = resourcesOf(db, raw.map((r) => r[0] as number), need);
  const str = resolveStrings(db, need);
  return raw.map((r) => {
    const row = { id: r[0] as number, flags: r[TAIL] as number, sourceId: r[TAIL + 1] as number, recordIndex: r[TAIL + 2] as number, resources: resources.get(r[0] as number) ?? [] } as EventRow;
    const out = row as unknown as Record<string, unknown>;
    for (let i = 0; i < EVENT_COLUMNS.length; i++) {
      const col = EVENT_COLUMNS[i];
      const v = r[FIRST + i];
      if (v === null) out[col.key] = null;
      else if (col.kind === 'string') out[col.key] = str.get(v as number) ?? null;
      else if (col.kind === 'bool') out[col.key] = v !== 0;
      else if (col.kind === 'id' || col.kind === 'text') out[col.key] = String(v);
      else out[col.key] = v;
    }
    return row;
  });
}

/** Rows for the given event row ids, in the order given (ids that do not exist are left out). */
export function fetchEventRows(db: Db, ids: readonly number[]): EventRow[] {
  if (ids.length === 0) return [];
  const byId = new Map<number, EventRow>();
  for (const r of queryEventRows(db, 'SELECT value FROM json_each(?)', [JSON.stringify([...new Set(ids)])])) byId.set(r.id, r);
  const out: EventRow[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (r) out.push(r);
  }
  return out;
}

/** Resources of events by row id; their string ids are added to `need` and resolved by the caller's one lookup. */
function resourcesOf(db: Db, ids: readonly number[], need: number[]): Map<number, EventResource[]> {
  const rows = prep(db, 'SELECT event_id, type, name FROM event_resources WHERE event_id IN (SELECT value FROM json_each(?))')
    .raw()
    .all(JSON.stringify(ids)) as Array<[number, number, number]>;
  const out = new Map<number, EventResource[]>();
  if (rows.length === 0) return out;
  for (const [, t, n] of rows) need.push(t, n);
  const str = resolveStrings(db, need);
  for (const [id, t, n] of rows) {
    let list = out.get(id);
    if (!list) out.set(id, (list = []));
    list.push({ type: str.get(t) ?? '', name: str.get(n) ?? '' });
  }
  return out;
}

/** Oldest first; events without a time last; ties by row id. */
export function byTime(a: { eventTime: number | null; id: number }, b: { eventTime: number | null; id: number }): number {
  const ta = a.eventTime ?? Number.MAX_SAFE_INTEGER;
  const tb = b.eventTime ?? Number.MAX_SAFE_INTEGER;
  return ta - tb || a.id - b.id;
}
