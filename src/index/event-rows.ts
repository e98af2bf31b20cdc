// Event rows read back from a case: the one decoder. The SELECT list and the decoding follow the column registry
// (model/event-columns.ts). Rows are read raw from `events` (no join: the 21-join view is an order of magnitude
// slower for tens of thousands of rows), identifiers come back as text from SQL (idTextSql), and the string ids are
// resolved once per distinct id through the per-connection cache in strings.ts.

import { cachedStatement as prep, type Db } from './statements.js';
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

/**
 * Which columns a query reads. The default is every column and the resources; a list of columns (the others come back
 * null, resources empty) makes a long timeline several times cheaper to read.
 */
export interface RowShape {
  columns?: ReadonlyArray<keyof EventColumns>;
  resources?: boolean;
}

interface Shape {
  select: string;
  stringPositions: number[];
  decode: (r: unknown[], str: Map<number, string>, resources: EventResource[]) => EventRow;
  resources: boolean;
}

const shapes = new Map<string, Shape>();

/**
 * The SELECT list and a decoder for a shape, made once: the decoder is compiled from the registry into one object
 * literal (a fixed shape V8 builds fast; decoding tens of thousands of rows is much of an investigation's time).
 */
function shapeOf(shape: RowShape = {}): Shape {
  const key = `${shape.columns?.join(',') ?? '*'}|${shape.resources ?? !shape.columns}`;
  let s = shapes.get(key);
  if (s) return s;
  const wanted = shape.columns ? new Set(shape.columns) : null;
  const read = EVENT_COLUMNS.filter((c) => !wanted || wanted.has(c.key) || c.key === 'eventId' || c.key === 'eventTime');
  const select = ['e.id', ...read.map((c) => (c.kind === 'id' ? idTextSql(`e.${c.column}`) : `e.${c.column}`)), 'e.flags', 'e.source_id', 'e.record_index'].join(', ');
  const tail = 1 + read.length;
  const fields = EVENT_COLUMNS.map((c) => {
    const i = read.indexOf(c);
    if (i < 0) return `${JSON.stringify(c.key)}: null`;
    const v = `r[${1 + i}]`;
    const value =
      c.kind === 'string' ? `(${v} === null ? null : (str.get(${v}) ?? null))` : c.kind === 'bool' ? `(${v} === null ? null : ${v} !== 0)` : c.kind === 'time' ? v : `(${v} === null ? null : String(${v}))`;
    return `${JSON.stringify(c.key)}: ${value}`;
  });
  const decode = new Function('r', 'str', 'resources', `return { id: r[0], ${fields.join(', ')}, flags: r[${tail}], sourceId: r[${tail + 1}], recordIndex: r[${tail + 2}], resources };`) as Shape['decode'];
  s = { select, stringPositions: read.flatMap((c, i) => (c.kind === 'string' ? [1 + i] : [])), decode, resources: shape.resources ?? !shape.columns };
  shapes.set(key, s);
  return s;
}

/**
 * Rows of the events a query selects, in no particular order. `fromWhere` is the query after its SELECT list, over
 * `events e` (`FROM events e WHERE …`, as search.ts builds it, or `FROM events e WHERE e.id IN (…)`).
 */
export function queryEventRows(db: Db, fromWhere: string, params: readonly unknown[], shape?: RowShape): EventRow[] {
  const sh = shapeOf(shape);
  const raw = prep(db, `SELECT ${sh.select} ${fromWhere}`).raw().all(...params) as unknown[][];
  if (raw.length === 0) return [];
  const need: number[] = [];
  for (const r of raw) for (const p of sh.stringPositions) if (r[p] !== null) need.push(r[p] as number);
  const resources = sh.resources ? resourcesOf(db, raw.map((r) => r[0] as number)) : new Map<number, EventResource[]>();
  const str = resolveStrings(db, need);
  return raw.map((r) => sh.decode(r, str, resources.get(r[0] as number) ?? []));
}

/** Rows for the given event row ids, in the order given (ids that do not exist are left out). */
export function fetchEventRows(db: Db, ids: readonly number[]): EventRow[] {
  if (ids.length === 0) return [];
  const byId = new Map<number, EventRow>();
  for (const r of queryEventRows(db, 'FROM events e WHERE e.id IN (SELECT value FROM json_each(?))', [JSON.stringify([...new Set(ids)])])) byId.set(r.id, r);
  const out: EventRow[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (r) out.push(r);
  }
  return out;
}

/** Resources of events by row id. */
function resourcesOf(db: Db, ids: readonly number[]): Map<number, EventResource[]> {
  const rows = prep(db, 'SELECT event_id, type, name FROM event_resources WHERE event_id IN (SELECT value FROM json_each(?))')
    .raw()
    .all(JSON.stringify(ids)) as Array<[number, number, number]>;
  const out = new Map<number, EventResource[]>();
  if (rows.length === 0) return out;
  const str = resolveStrings(db, rows.flatMap(([, t, n]) => [t, n]));
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
