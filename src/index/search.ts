// Event search: console-style filters (AND across filters, OR within one) turned into SQL over the
// dictionary-encoded schema. Filter strings are resolved to strings.id first, so every comparison is an integer
// comparison on an indexed column; the most selective indexed filter drives the query (estimated with a bounded
// probe), the others are checked row by row (`+col` keeps SQLite from using a second, worse index).
// `text` is the only filter that reads event bodies: a full scan of the candidates (docs/search.md).

import { BlockList, isIP } from 'node:net';
import type { Db } from './open.js';
import { packId } from './ids.js';
import { readEventBodies } from './bodies.js';
import { byTime, fetchEventRows, queryEventRows, type EventRow, type RowShape } from './event-rows.js';
import { resolveStrings, stringIds } from './strings.js';
import { trustFilterSql } from './trust.js';
import type { TrustLabel } from '../model/integrity.js';

export type EventCategoryName = 'management' | 'data' | 'insight';
export const EVENT_CATEGORIES: readonly EventCategoryName[] = ['management', 'data', 'insight'];
const CATEGORY_VALUE: Record<EventCategoryName, string> = { management: 'Management', data: 'Data', insight: 'Insight' };

/** What to look for. Every list means "any of these"; every given field must match. */
export interface EventFilter {
  eventNames?: string[];
  eventSources?: string[];
  /** Event history's "User name" (events.username). */
  users?: string[];
  /** userIdentity.accessKeyId. */
  accessKeys?: string[];
  eventIds?: string[];
  /** requestID: every record of one API call. */
  requestIds?: string[];
  resourceTypes?: string[];
  resourceNames?: string[];
  /** More resource conditions, each one ANDed (lookup-events: ResourceType and ResourceName given separately). */
  resourceGroups?: { names?: string[]; types?: string[] }[];
  readOnly?: boolean;
  /** Leave out read-only calls (readOnly true); calls whose readOnly is unknown stay. */
  excludeReadOnly?: boolean;
  /** Addresses or CIDR blocks (IPv4 or IPv6); other values (service names) match exactly. */
  sourceIps?: string[];
  regions?: string[];
  accounts?: string[];
  /** userIdentity.arn or its session issuer's ARN; `*` and `?` are wildcards. */
  principalArns?: string[];
  /** Case-insensitive substrings of userAgent. */
  userAgents?: string[];
  /** Error codes, or 'any' for every failed call. */
  errors?: string[] | 'any';
  categories?: EventCategoryName[];
  /** Inclusive bounds, ms since epoch. */
  startMs?: number | null;
  endMs?: number | null;
  /** Case-insensitive substrings of the whole event JSON; every one must occur. Full scan of the candidates. */
  text?: string[];
  /** Integrity labels from the latest verify run (any of them). */
  trust?: TrustLabel[];
  /**
   * `search`'s matching: event names and sources case-insensitively, and a bare service name as a source means
   * `<name>.amazonaws.com` (`ec2`). Off: exact values (lookup-events, like AWS).
   */
  foldCase?: boolean;
}

/**
 * Inside src/index only: a filter with extra conditions on `e` (the keyset bounds of event-pages.ts). Everything
 * outside the index says what it wants with EventFilter's fields; no caller passes SQL.
 */
export interface BoundedFilter extends EventFilter {
  bounds?: ReadonlyArray<{ sql: string; params: readonly unknown[] }>;
}

export interface SearchOptions {
  /** Maximum rows; null or undefined for all. */
  limit?: number | null;
  order?: 'newest' | 'oldest';
}

export interface SearchResult {
  rows: EventRow[];
  /** True when more events matched than the limit allowed. */
  truncated: boolean;
}

/** A built query: event row ids, ordered. `empty` when a filter value does not occur in the case at all. */
export interface BuiltQuery {
  /** The ordered id query. */
  sql: string;
  /** The same without ORDER BY (to use inside `IN (…)` or an aggregate), same parameters. */
  idSql: string;
  /** The query after its SELECT list, without ORDER BY (`FROM events e … WHERE …`): to select other columns. */
  fromWhere: string;
  params: unknown[];
  empty: boolean;
  /** Which filter drives the query (for tests and query plans). */
  driver: string;
  text: string[];
}

interface Cond {
  name: string;
  /** SQL when this condition drives the query (indexable form). */
  sql: string;
  /** SQL when another condition drives (index use disabled). */
  checkSql: string;
  params: unknown[];
  /** Whether an index can drive this condition. */
  indexed: boolean;
  /** Uses the (column, event_time) index: the time range can ride on it. */
  timeRides: boolean;
  probe?: { sql: string; params: unknown[] };
  /** The events index that serves this condition, forced with INDEXED BY when it drives. */
  index?: string;
}

/** Probes count at most this many rows when every matching row is wanted (they only rank the candidates). */
const PROBE_MIN = 2000;

function placeholders(n: number): string {
  return new Array(n).fill('?').join(',');
}

/**
 * Distinct string ids of an indexed column, by skip-scan: one index seek per distinct value (a few hundred event
 * names or sources in a million-event case) instead of reading the whole index. Stops after `max` values.
 */
export function distinctColumnIds(db: Db, column: string, index: string, max = 100_000): number[] {
  const next = db.prepare(`SELECT ${column} FROM events INDEXED BY ${index} WHERE ${column} IS NOT NULL AND ${column} > ? ORDER BY ${column} LIMIT 1`).pluck();
  const out: number[] = [];
  let last = -1;
  while (out.length < max) {
    const v = next.get(last) as number | undefined | null;
    if (v === undefined || v === null) break;
    out.push(v);
    last = v;
  }
  return out;
}

/** A bare service name (`ec2`, `IAM`) as the event source it means (`ec2.amazonaws.com`); other values unchanged. */
export function expandEventSource(value: string): string {
  return /^[A-Za-z0-9-]+$/.test(value) ? `${value}.amazonaws.com` : value;
}

/**
 * ids of a column's values equal to any of `values` ignoring case: the exact dictionary ids, plus the case's other
 * spellings found among the column's distinct values (skip-scan of its index, so no scan of the strings table).
 */
function foldedIds(db: Db, values: readonly string[], column: string, index: string): number[] {
  const ids = new Set(stringIds(db, values));
  const want = new Set(values.map((v) => v.toLowerCase()));
  const distinct = distinctColumnIds(db, column, index);
  const str = resolveStrings(db, distinct);
  for (const id of distinct) {
    const v = str.get(id);
    if (v !== undefined && want.has(v.toLowerCase())) ids.add(id);
  }
  return [...ids];
}

/** Distinct values of an indexed string column, as (id, value): a skip-scan over the column's index. */
function distinctValues(db: Db, column: string, index: string): Map<number, string> {
  const ids = db.prepare(`SELECT DISTINCT ${column} FROM events INDEXED BY ${index} WHERE ${column} IS NOT NULL`).pluck().all() as number[];
  const str = resolveStrings(db, ids);
  const out = new Map<number, string>();
  for (const id of ids) {
    const v = str.get(id);
    if (v !== undefined) out.set(id, v);
  }
  return out;
}

/** A shell-style pattern (* any run, ? one character) as an anchored regular expression. */
function wildcardRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

function matchingIds(values: Map<number, string>, test: (v: string) => boolean): number[] {
  const out: number[] = [];
  for (const [id, v] of values) if (test(v)) out.push(id);
  return out;
}

/** ids of principal ARNs (userIdentity.arn or session issuer ARN) matching exact values or wildcards. */
function principalIds(db: Db, patterns: readonly string[]): number[] {
  const exact = patterns.filter((p) => !/[*?]/.test(p));
  const wild = patterns.filter((p) => /[*?]/.test(p)).map(wildcardRegExp);
  const ids = new Set(stringIds(db, exact));
  if (wild.length) {
    for (const [col, idx] of [['arn', 'events_arn'], ['session_issuer_arn', 'events_issuer']] as const) {
      for (const id of matchingIds(distinctValues(db, col, idx), (v) => wild.some((re) => re.test(v)))) ids.add(id);
    }
  }
  return [...ids];
}

/** ids of user agents containing any of the needles (case-insensitive). */
function userAgentIds(db: Db, needles: readonly string[]): number[] {
  const low = needles.map((n) => n.toLowerCase());
  return matchingIds(distinctValues(db, 'user_agent', 'events_ua'), (v) => {
    const l = v.toLowerCase();
    return low.some((n) => l.includes(n));
  });
}

/** ids of source addresses inside the given blocks, or exactly equal to the other values (service names). */
function ipIds(db: Db, specs: readonly string[]): number[] {
  const exact: string[] = [];
  const list = new BlockList();
  let blocks = 0;
  for (const spec of specs) {
    const cidr = /^(.+)\/(\d{1,3})$/.exec(spec);
    if (!cidr) {
      exact.push(spec);
      continue;
    }
    list.addSubnet(cidr[1], Number(cidr[2]), isIP(cidr[1]) === 6 ? 'ipv6' : 'ipv4');
    blocks++;
  }
  const ids = new Set(stringIds(db, exact));
  if (blocks) {
    for (const id of matchingIds(distinctValues(db, 'source_ip', 'events_ip'), (v) => {
      const f = isIP(v);
      return f !== 0 && list.check(v, f === 6 ? 'ipv6' : 'ipv4');
    }))
      ids.add(id);
  }
  return [...ids];
}

/** Check a --source-ip value; returns an error text or null. */
export function checkIpSpec(spec: string): string | null {
  const cidr = /^(.+)\/(\d{1,3})$/.exec(spec);
  if (!cidr) return null;
  const fam = isIP(cidr[1]);
  if (fam === 0) return `"${spec}": "${cidr[1]}" is not an IP address`;
  const bits = Number(cidr[2]);
  if (bits > (fam === 4 ? 32 : 128)) return `"${spec}": prefix length ${bits} is too long for IPv${fam}`;
  return null;
}

/** Build the id query for a filter. */
export function buildSearch(db: Db, filter: BoundedFilter, options: SearchOptions = {}): BuiltQuery {
  const conds: Cond[] = [];
  let empty = false;
  // Walking events_time newest-first costs about limit × N / matches rows; the driver's index costs about
  // `matches` rows plus a sort. So the time walk wins once matches exceed sqrt(N × limit): probe up to there.
  const total = (db.prepare('SELECT max(id) FROM events').pluck().get() as number | null) ?? 0;
  const cap = options.limit == null ? PROBE_MIN : Math.max(PROBE_MIN, Math.ceil(Math.sqrt(total * Math.max(1, options.limit))));
  const timeSql: string[] = [];
  const timeParams: unknown[] = [];
  if (filter.startMs != null) {
    timeSql.push('e.event_time >= ?');
    timeParams.push(filter.startMs);
  }
  if (filter.endMs != null) {
    timeSql.push('e.event_time <= ?');
    timeParams.push(filter.endMs);
  }
  const timeClause = timeSql.length ? ` AND ${timeSql.join(' AND ')}` : '';

  const column = (name: string, col: string, ids: number[] | null, index: string): void => {
    if (ids === null) return;
    if (ids.length === 0) {
      empty = true;
      return;
    }
    const ph = placeholders(ids.length);
    conds.push({
      name,
      sql: `e.${col} IN (${ph})`,
      checkSql: `+e.${col} IN (${ph})`,
      params: ids,
      indexed: true,
      timeRides: true,
      probe: { sql: `SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.${col} IN (${ph})${timeClause} LIMIT ${cap})`, params: [...ids, ...timeParams] },
      index,
    });
  };
  const given = (v: readonly string[] | undefined): v is string[] => v !== undefined && v.length > 0;

  if (given(filter.eventIds)) {
    const packed = filter.eventIds.map((v) => packId(v));
    const ph = placeholders(packed.length);
    conds.push({ name: 'event-id', sql: `e.event_id IN (${ph})`, checkSql: `+e.event_id IN (${ph})`, params: packed, indexed: true, timeRides: false, probe: { sql: 'SELECT 0', params: [] }, index: 'events_event_id' });
  }
  if (given(filter.requestIds)) {
    const packed = filter.requestIds.map((v) => packId(v));
    const ph = placeholders(packed.length);
    conds.push({
      name: 'request-id',
      sql: `e.request_id IN (${ph})`,
      checkSql: `+e.request_id IN (${ph})`,
      params: packed,
      indexed: true,
      timeRides: false,
      probe: { sql: `SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.request_id IN (${ph}) LIMIT ${cap})`, params: packed },
      index: 'events_request',
    });
  }
  if (given(filter.accessKeys)) column('access-key', 'access_key_id', stringIds(db, filter.accessKeys), 'events_key');
  if (given(filter.users)) column('user', 'username', stringIds(db, filter.users), 'events_username');
  if (given(filter.eventNames)) {
    column('event-name', 'event_name', filter.foldCase ? foldedIds(db, filter.eventNames, 'event_name', 'events_name') : stringIds(db, filter.eventNames), 'events_name');
  }
  if (given(filter.eventSources)) {
    const sources = filter.foldCase ? [...new Set(filter.eventSources.flatMap((v) => [v, expandEventSource(v)]))] : filter.eventSources;
    column('event-source', 'event_source', filter.foldCase ? foldedIds(db, sources, 'event_source', 'events_source') : stringIds(db, sources), 'events_source');
  }
  if (given(filter.sourceIps)) column('source-ip', 'source_ip', ipIds(db, filter.sourceIps), 'events_ip');
  if (given(filter.regions)) column('region', 'aws_region', stringIds(db, filter.regions), 'events_region');
  if (given(filter.accounts)) column('account', 'recipient_account_id', stringIds(db, filter.accounts), 'events_account');
  if (given(filter.userAgents)) column('user-agent', 'user_agent', userAgentIds(db, filter.userAgents), 'events_ua');
  if (filter.errors === 'any') {
    conds.push({
      name: 'error',
      sql: 'e.error_code IS NOT NULL',
      checkSql: '+e.error_code IS NOT NULL',
      params: [],
      indexed: true,
      timeRides: true,
      probe: { sql: `SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.error_code IS NOT NULL${timeClause} LIMIT ${cap})`, params: [...timeParams] },
      index: 'events_error',
    });
  } else if (given(filter.errors)) {
    column('error', 'error_code', stringIds(db, filter.errors), 'events_error');
  }
  if (given(filter.principalArns)) {
    const ids = principalIds(db, filter.principalArns);
    if (ids.length === 0) empty = true;
    else {
      const ph = placeholders(ids.length);
      conds.push({
        name: 'principal-arn',
        sql: `(e.arn IN (${ph}) OR e.session_issuer_arn IN (${ph}))`,
        checkSql: `(+e.arn IN (${ph}) OR +e.session_issuer_arn IN (${ph}))`,
        params: [...ids, ...ids],
        indexed: true,
        timeRides: true,
        probe: {
          sql: `SELECT count(*) FROM (SELECT 1 FROM events e WHERE (e.arn IN (${ph}) OR e.session_issuer_arn IN (${ph}))${timeClause} LIMIT ${cap})`,
          params: [...ids, ...ids, ...timeParams],
        },
      });
    }
  }
  const groups = [...(given(filter.resourceNames) || given(filter.resourceTypes) ? [{ names: filter.resourceNames, types: filter.resourceTypes }] : []), ...(filter.resourceGroups ?? [])];
  for (const g of groups) {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (given(g.names)) {
      const ids = stringIds(db, g.names);
      if (ids.length === 0) empty = true;
      parts.push(`name IN (${placeholders(ids.length)})`);
      params.push(...ids);
    }
    if (given(g.types)) {
      const ids = stringIds(db, g.types);
      if (ids.length === 0) empty = true;
      parts.push(`type IN (${placeholders(ids.length)})`);
      params.push(...ids);
    }
    if (!empty && parts.length) {
      const sub = `SELECT event_id FROM event_resources WHERE ${parts.join(' AND ')}`;
      conds.push({
        name: given(g.names) ? 'resource-name' : 'resource-type',
        sql: `e.id IN (${sub})`,
        // Checked per candidate through the primary key (event_id, type, name): no materialised id list.
        checkSql: `EXISTS (SELECT 1 FROM event_resources r WHERE r.event_id = e.id AND ${parts.map((x) => `r.${x}`).join(' AND ')})`,
        params,
        indexed: true,
        timeRides: false,
        probe: { sql: `SELECT count(*) FROM (${sub} LIMIT ${cap})`, params },
      });
    }
  }
  if (filter.readOnly !== undefined) {
    conds.push({ name: 'read-only', sql: 'e.read_only = ?', checkSql: 'e.read_only = ?', params: [filter.readOnly ? 1 : 0], indexed: false, timeRides: false });
  }
  if (filter.excludeReadOnly) {
    conds.push({ name: 'not-read-only', sql: 'e.read_only IS NOT 1', checkSql: 'e.read_only IS NOT 1', params: [], indexed: false, timeRides: false });
  }
  if (filter.categories && filter.categories.length > 0) {
    const ids = stringIds(db, filter.categories.map((c) => CATEGORY_VALUE[c]));
    if (ids.length === 0) empty = true;
    else {
      const ph = placeholders(ids.length);
      conds.push({ name: 'category', sql: `e.event_category IN (${ph})`, checkSql: `+e.event_category IN (${ph})`, params: ids, indexed: false, timeRides: false });
    }
  }
  if (filter.trust && filter.trust.length > 0) {
    const parts = filter.trust.map((t) => trustFilterSql(t));
    const sql = `(${parts.map((p) => p.sql).join(' OR ')})`;
    conds.push({ name: 'trust', sql, checkSql: sql, params: parts.flatMap((p) => p.params), indexed: false, timeRides: false });
  }
  for (const b of filter.bounds ?? []) {
    conds.push({ name: 'bound', sql: b.sql, checkSql: b.sql, params: [...b.params], indexed: false, timeRides: false });
  }

  const order = options.order === 'oldest' ? 'ASC' : 'DESC';
  const orderBy = `ORDER BY e.event_time ${order}, e.id ${order}`;
  if (empty) return { sql: 'SELECT e.id FROM events e WHERE 0', idSql: 'SELECT e.id FROM events e WHERE 0', fromWhere: 'FROM events e WHERE 0', params: [], empty: true, driver: 'none', text: filter.text ?? [] };

  // Pick the driver: the indexed condition with the fewest rows (bounded probe). When even the best one is not
  // selective and only the first rows are wanted, walking events_time newest-first and stopping early is cheaper.
  let driver: Cond | null = null;
  const indexed = conds.filter((c) => c.indexed);
  const ev = indexed.find((c) => c.name === 'event-id');
  if (ev) driver = ev;
  else if (indexed.length === 1 && options.limit == null) driver = indexed[0];
  else if (indexed.length > 0) {
    let best = Infinity;
    for (const c of indexed) {
      const n = c.probe ? (db.prepare(c.probe.sql).pluck().get(...c.probe.params) as number) : cap;
      if (n < best) {
        best = n;
        driver = c;
      }
    }
    if (best >= cap && options.limit != null) driver = null;
  }
  const where: string[] = [];
  const params: unknown[] = [];
  for (const c of conds) {
    where.push(c === driver ? c.sql : c.checkSql);
    params.push(...c.params);
  }
  // The time range rides on the driver's (column, event_time) index, or on events_time when nothing drives.
  if (timeSql.length) {
    if (driver && !driver.timeRides) where.push(...timeSql.map((s) => s.replace('e.event_time', '+e.event_time')));
    else where.push(...timeSql);
    params.push(...timeParams);
  }
  // Without a driver, walk events_time in order (stops at the limit).
  const from = driver ? (driver.index ? `events e INDEXED BY ${driver.index}` : 'events e') : 'events e INDEXED BY events_time';
  const fromWhere = `FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const idSql = `SELECT e.id ${fromWhere}`;
  return { sql: `${idSql} ${orderBy}`, idSql, fromWhere, params, empty: false, driver: driver?.name ?? 'time', text: filter.text ?? [] };
}

/** Run a search: ordered rows, at most `limit`. */
export function searchEvents(db: Db, filter: EventFilter, options: SearchOptions = {}): SearchResult {
  const ids = searchEventIds(db, filter, options);
  const rows = fetchEventRows(db, ids.ids);
  return { rows, truncated: ids.truncated };
}

/**
 * Every matching event, oldest first (events without a time last): what investigations read. One query reads the
 * rows of every match (no limit); a text filter reads the candidates' bodies first.
 */
export function findEvents(db: Db, filter: EventFilter, shape?: RowShape): EventRow[] {
  if (filter.text?.some((t) => t.length > 0)) return fetchEventRows(db, searchEventIds(db, filter, { order: 'oldest' }).ids).sort(byTime);
  const q = buildSearch(db, filter, {});
  return q.empty ? [] : queryEventRows(db, q.fromWhere, q.params, shape).sort(byTime);
}

/** Events that share a sharedEventID or requestID with the given values (the other accounts' copies of a call), oldest first. */
export function eventsSharingCall(db: Db, sharedIds: readonly string[], requestIds: readonly string[]): EventRow[] {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [col, values] of [['shared_event_id', sharedIds], ['request_id', requestIds]] as const) {
    for (const v of new Set(values)) {
      parts.push(`SELECT id FROM events WHERE ${col} = ?`);
      params.push(packId(v));
    }
  }
  return parts.length ? queryEventRows(db, `FROM events e WHERE e.id IN (${parts.join(' UNION ')})`, params).sort(byTime) : [];
}

/** Only the ordered event row ids. */
export function searchEventIds(db: Db, filter: BoundedFilter, options: SearchOptions = {}): { ids: number[]; truncated: boolean } {
  const q = buildSearch(db, filter, options);
  if (q.empty) return { ids: [], truncated: false };
  const limit = options.limit ?? null;
  const needles = q.text.map((t) => t.toLowerCase()).filter((t) => t.length > 0);
  if (needles.length === 0) {
    const sql = limit === null ? q.sql : `${q.sql} LIMIT ${Math.max(0, Math.floor(limit)) + 1}`;
    const ids = db.prepare(sql).pluck().all(...q.params) as number[];
    const truncated = limit !== null && ids.length > limit;
    return { ids: truncated ? ids.slice(0, limit) : ids, truncated };
  }
  // Text: read the candidates' bodies in batches, in order, until the limit is reached.
  const out: number[] = [];
  let truncated = false;
  let batch: number[] = [];
  const flush = (): boolean => {
    const bodies = readEventBodies(db, batch);
    for (const id of batch) {
      const body = bodies.get(id);
      if (!body) continue;
      const hay = body.json.toLowerCase();
      if (needles.every((n) => hay.includes(n))) {
        if (limit !== null && out.length >= limit) {
          truncated = true;
          return false;
        }
        out.push(id);
      }
    }
    batch = [];
    return true;
  };
  for (const id of db.prepare(q.sql).pluck().iterate(...q.params) as Iterable<number>) {
    batch.push(id);
    if (batch.length >= 500 && !flush()) break;
  }
  if (batch.length && !truncated) flush();
  return { ids: out, truncated };
}

/** Matches per region for a filter (used by lookup-events to point at other regions). */
export function countByRegion(db: Db, filter: EventFilter): Map<string, number> {
  const q = buildSearch(db, filter, {});
  const out = new Map<string, number>();
  if (q.empty) return out;
  const sql = `SELECT s.value AS region, count(*) AS n FROM (${q.idSql}) x
    JOIN events e2 ON e2.id = x.id LEFT JOIN strings s ON s.id = e2.aws_region GROUP BY s.value`;
  for (const r of db.prepare(sql).all(...q.params) as { region: string | null; n: number }[]) out.set(r.region ?? '(none)', r.n);
  return out;
}
