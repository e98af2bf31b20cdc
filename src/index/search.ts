// Event search: console-style filters (AND across filters, OR within one) turned into SQL over the
// dictionary-encoded schema. Filter strings are resolved to strings.id first, so every comparison is an integer
// comparison on an indexed column; the most selective indexed filter drives the query (estimated with a bounded
// probe), the others are checked row by row (`+col` keeps SQLite from using a second, worse index).
// `text` is the only filter that reads event bodies: a full scan of the candidates (docs/search.md).

import { BlockList, isIP } from 'node:net';
import type { Db } from './open.js';
import { packId, unpackId } from './ids.js';
import { readEventBodies } from './bodies.js';

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
  resourceTypes?: string[];
  resourceNames?: string[];
  /** More resource conditions, each one ANDed (lookup-events: ResourceType and ResourceName given separately). */
  resourceGroups?: { names?: string[]; types?: string[] }[];
  readOnly?: boolean;
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
  /** Extra SQL over the events alias `e` (e.g. trust labels), with its parameters. Trusted callers only. */
  extraSql?: { sql: string; params: unknown[] }[];
}

export interface SearchOptions {
  /** Maximum rows; null or undefined for all. */
  limit?: number | null;
  order?: 'newest' | 'oldest';
}

/** One event as listed by search (strings resolved). */
export interface EventRow {
  id: number;
  eventId: string;
  eventTime: number | null;
  eventName: string | null;
  eventSource: string | null;
  awsRegion: string | null;
  recipientAccountId: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  identityType: string | null;
  arn: string | null;
  principalId: string | null;
  accountId: string | null;
  accessKeyId: string | null;
  userName: string | null;
  username: string | null;
  sessionIssuerArn: string | null;
  invokedBy: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  readOnly: boolean | null;
  eventType: string | null;
  eventCategory: string | null;
  managementEvent: boolean | null;
  flags: number;
  sourceId: number;
  recordIndex: number;
  resources: { type: string; name: string }[];
}

export interface SearchResult {
  rows: EventRow[];
  /** True when more events matched than the limit allowed. */
  truncated: boolean;
}

/** A built query: event row ids, ordered. `empty` when a filter value does not occur in the case at all. */
export interface BuiltQuery {
  sql: string;
  params: unknown[];
  empty: boolean;
  /** Which filter drives the query (for tests and --explain). */
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

const PROBE_CAP = 2000;

/** Resolve exact strings to their ids (values absent from the case are dropped). */
export function stringIds(db: Db, values: readonly string[]): number[] {
  if (values.length === 0) return [];
  const out: number[] = [];
  for (let i = 0; i < values.length; i += 500) {
    const chunk = values.slice(i, i + 500);
    const rows = db.prepare(`SELECT id FROM strings WHERE value IN (${chunk.map(() => '?').join(',')})`).pluck().all(...chunk) as number[];
    out.push(...rows);
  }
  return out;
}

function placeholders(n: number): string {
  return new Array(n).fill('?').join(',');
}

/** Literal prefix of a GLOB pattern (before the first wildcard). */
function globPrefix(pattern: string): string {
  const m = /[*?[]/.exec(pattern);
  return m ? pattern.slice(0, m.index) : pattern;
}

function wildcardIds(db: Db, patterns: readonly string[]): number[] {
  const ids = new Set<number>();
  for (const p of patterns) {
    if (!/[*?[]/.test(p)) {
      for (const id of stringIds(db, [p])) ids.add(id);
      continue;
    }
    const prefix = globPrefix(p);
    // GLOB with a literal prefix is a range scan on the strings(value) unique index.
    const rows = prefix
      ? (db.prepare('SELECT id FROM strings WHERE value >= ? AND value < ? AND value GLOB ?').pluck().all(prefix, `${prefix}\uffff`, p) as number[])
      : (db.prepare('SELECT id FROM strings WHERE value GLOB ?').pluck().all(p) as number[]);
    for (const id of rows) ids.add(id);
  }
  return [...ids];
}

function substringIds(db: Db, needles: readonly string[]): number[] {
  const ids = new Set<number>();
  const stmt = db.prepare('SELECT id FROM strings WHERE instr(lower(value), ?) > 0').pluck();
  for (const n of needles) for (const id of stmt.all(n.toLowerCase()) as number[]) ids.add(id);
  return [...ids];
}

/** ids of strings that are addresses inside the given blocks (or exactly equal to the non-address values). */
function ipIds(db: Db, specs: readonly string[]): number[] {
  const ids = new Set<number>();
  const exact: string[] = [];
  for (const spec of specs) {
    const cidr = /^(.+)\/(\d{1,3})$/.exec(spec);
    if (!cidr) {
      exact.push(spec);
      continue;
    }
    const [, addr, bitsText] = cidr;
    const fam = isIP(addr);
    const bits = Number(bitsText);
    const list = new BlockList();
    list.addSubnet(addr, bits, fam === 6 ? 'ipv6' : 'ipv4');
    let rows: { id: number; value: string }[];
    if (fam === 4) {
      const octets = Math.floor(bits / 8);
      const prefix = octets === 0 ? '' : `${addr.split('.').slice(0, octets).join('.')}.`;
      rows = prefix
        ? (db.prepare('SELECT id, value FROM strings WHERE value >= ? AND value < ?').all(prefix, `${prefix}\uffff`) as { id: number; value: string }[])
        : (db.prepare("SELECT id, value FROM strings WHERE value GLOB '[0-9]*.*.*.*'").all() as { id: number; value: string }[]);
    } else {
      rows = db.prepare("SELECT id, value FROM strings WHERE instr(value, ':') > 0 AND length(value) <= 45").all() as { id: number; value: string }[];
    }
    for (const r of rows) {
      const f = isIP(r.value);
      if (f !== 0 && list.check(r.value, f === 6 ? 'ipv6' : 'ipv4')) ids.add(r.id);
    }
  }
  for (const id of stringIds(db, exact)) ids.add(id);
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
export function buildSearch(db: Db, filter: EventFilter, options: SearchOptions = {}): BuiltQuery {
  const conds: Cond[] = [];
  let empty = false;
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
      probe: { sql: `SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.${col} IN (${ph})${timeClause} LIMIT ${PROBE_CAP})`, params: [...ids, ...timeParams] },
      index,
    });
  };
  const given = (v: readonly string[] | undefined): v is string[] => v !== undefined && v.length > 0;

  if (given(filter.eventIds)) {
    const packed = filter.eventIds.map((v) => packId(v));
    const ph = placeholders(packed.length);
    conds.push({ name: 'event-id', sql: `e.event_id IN (${ph})`, checkSql: `+e.event_id IN (${ph})`, params: packed, indexed: true, timeRides: false, probe: { sql: 'SELECT 0', params: [] }, index: 'events_event_id' });
  }
  if (given(filter.accessKeys)) column('access-key', 'access_key_id', stringIds(db, filter.accessKeys), 'events_key');
  if (given(filter.users)) column('user', 'username', stringIds(db, filter.users), 'events_username');
  if (given(filter.eventNames)) column('event-name', 'event_name', stringIds(db, filter.eventNames), 'events_name');
  if (given(filter.eventSources)) column('event-source', 'event_source', stringIds(db, filter.eventSources), 'events_source');
  if (given(filter.sourceIps)) column('source-ip', 'source_ip', ipIds(db, filter.sourceIps), 'events_ip');
  if (given(filter.regions)) column('region', 'aws_region', stringIds(db, filter.regions), 'events_region');
  if (given(filter.accounts)) column('account', 'recipient_account_id', stringIds(db, filter.accounts), 'events_account');
  if (given(filter.userAgents)) column('user-agent', 'user_agent', substringIds(db, filter.userAgents), 'events_ua');
  if (filter.errors === 'any') {
    conds.push({
      name: 'error',
      sql: 'e.error_code IS NOT NULL',
      checkSql: '+e.error_code IS NOT NULL',
      params: [],
      indexed: true,
      timeRides: true,
      probe: { sql: `SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.error_code IS NOT NULL${timeClause} LIMIT ${PROBE_CAP})`, params: [...timeParams] },
      index: 'events_error',
    });
  } else if (given(filter.errors)) {
    column('error', 'error_code', stringIds(db, filter.errors), 'events_error');
  }
  if (given(filter.principalArns)) {
    const ids = wildcardIds(db, filter.principalArns);
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
          sql: `SELECT count(*) FROM (SELECT 1 FROM events e WHERE (e.arn IN (${ph}) OR e.session_issuer_arn IN (${ph}))${timeClause} LIMIT ${PROBE_CAP})`,
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
        checkSql: `+e.id IN (${sub})`,
        params,
        indexed: true,
        timeRides: false,
        probe: { sql: `SELECT count(*) FROM (${sub} LIMIT ${PROBE_CAP})`, params },
      });
    }
  }
  if (filter.readOnly !== undefined) {
    conds.push({ name: 'read-only', sql: 'e.read_only = ?', checkSql: 'e.read_only = ?', params: [filter.readOnly ? 1 : 0], indexed: false, timeRides: false });
  }
  if (filter.categories && filter.categories.length > 0) {
    const ids = stringIds(db, filter.categories.map((c) => CATEGORY_VALUE[c]));
    if (ids.length === 0) empty = true;
    else {
      const ph = placeholders(ids.length);
      conds.push({ name: 'category', sql: `e.event_category IN (${ph})`, checkSql: `+e.event_category IN (${ph})`, params: ids, indexed: false, timeRides: false });
    }
  }
  for (const extra of filter.extraSql ?? []) {
    conds.push({ name: 'extra', sql: extra.sql, checkSql: extra.sql, params: extra.params, indexed: false, timeRides: false });
  }

  const order = options.order === 'oldest' ? 'ASC' : 'DESC';
  const orderBy = `ORDER BY e.event_time ${order}, e.id ${order}`;
  if (empty) return { sql: 'SELECT e.id FROM events e WHERE 0', params: [], empty: true, driver: 'none', text: filter.text ?? [] };

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
      const n = c.probe ? (db.prepare(c.probe.sql).pluck().get(...c.probe.params) as number) : PROBE_CAP;
      if (n < best) {
        best = n;
        driver = c;
      }
    }
    if (best >= PROBE_CAP && options.limit != null && options.limit < PROBE_CAP) driver = null;
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
  const sql = `SELECT e.id FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ${orderBy}`;
  return { sql, params, empty: false, driver: driver?.name ?? 'time', text: filter.text ?? [] };
}

/** Run a search: ordered rows, at most `limit`. */
export function searchEvents(db: Db, filter: EventFilter, options: SearchOptions = {}): SearchResult {
  const ids = searchEventIds(db, filter, options);
  const rows = fetchEventRows(db, ids.ids);
  return { rows, truncated: ids.truncated };
}

/** Only the ordered event row ids. */
export function searchEventIds(db: Db, filter: EventFilter, options: SearchOptions = {}): { ids: number[]; truncated: boolean } {
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

const ROW_SQL = `SELECT e.id, e.event_id, e.event_time,
  s1.value AS event_name, s2.value AS event_source, s3.value AS aws_region, s4.value AS recipient_account_id,
  s5.value AS source_ip, s6.value AS user_agent, s7.value AS identity_type, s8.value AS arn, s9.value AS principal_id,
  s10.value AS account_id, s11.value AS access_key_id, s12.value AS user_name, s13.value AS username,
  s14.value AS session_issuer_arn, s16.value AS invoked_by, s18.value AS error_code, e.error_message, e.read_only,
  s19.value AS event_type, s20.value AS event_category, e.management_event, e.flags, e.source_id, e.record_index
FROM events e
LEFT JOIN strings s1 ON s1.id = e.event_name
LEFT JOIN strings s2 ON s2.id = e.event_source
LEFT JOIN strings s3 ON s3.id = e.aws_region
LEFT JOIN strings s4 ON s4.id = e.recipient_account_id
LEFT JOIN strings s5 ON s5.id = e.source_ip
LEFT JOIN strings s6 ON s6.id = e.user_agent
LEFT JOIN strings s7 ON s7.id = e.identity_type
LEFT JOIN strings s8 ON s8.id = e.arn
LEFT JOIN strings s9 ON s9.id = e.principal_id
LEFT JOIN strings s10 ON s10.id = e.account_id
LEFT JOIN strings s11 ON s11.id = e.access_key_id
LEFT JOIN strings s12 ON s12.id = e.user_name
LEFT JOIN strings s13 ON s13.id = e.username
LEFT JOIN strings s14 ON s14.id = e.session_issuer_arn
LEFT JOIN strings s16 ON s16.id = e.invoked_by
LEFT JOIN strings s18 ON s18.id = e.error_code
LEFT JOIN strings s19 ON s19.id = e.event_type
LEFT JOIN strings s20 ON s20.id = e.event_category
WHERE e.id IN `;

interface RawRow {
  id: number;
  event_id: unknown;
  event_time: number | null;
  event_name: string | null;
  event_source: string | null;
  aws_region: string | null;
  recipient_account_id: string | null;
  source_ip: string | null;
  user_agent: string | null;
  identity_type: string | null;
  arn: string | null;
  principal_id: string | null;
  account_id: string | null;
  access_key_id: string | null;
  user_name: string | null;
  username: string | null;
  session_issuer_arn: string | null;
  invoked_by: string | null;
  error_code: string | null;
  error_message: string | null;
  read_only: number | null;
  event_type: string | null;
  event_category: string | null;
  management_event: number | null;
  flags: number;
  source_id: number;
  record_index: number;
}

const bool = (v: number | null): boolean | null => (v === null ? null : v !== 0);

/** Rows for the given event row ids, in the order given. */
export function fetchEventRows(db: Db, ids: readonly number[]): EventRow[] {
  const byId = new Map<number, EventRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const raws = db.prepare(`${ROW_SQL}(${placeholders(chunk.length)})`).all(...chunk) as RawRow[];
    for (const r of raws) {
      byId.set(r.id, {
        id: r.id,
        eventId: unpackId(r.event_id) ?? '',
        eventTime: r.event_time,
        eventName: r.event_name,
        eventSource: r.event_source,
        awsRegion: r.aws_region,
        recipientAccountId: r.recipient_account_id,
        sourceIPAddress: r.source_ip,
        userAgent: r.user_agent,
        identityType: r.identity_type,
        arn: r.arn,
        principalId: r.principal_id,
        accountId: r.account_id,
        accessKeyId: r.access_key_id,
        userName: r.user_name,
        username: r.username,
        sessionIssuerArn: r.session_issuer_arn,
        invokedBy: r.invoked_by,
        errorCode: r.error_code,
        errorMessage: r.error_message,
        readOnly: bool(r.read_only),
        eventType: r.event_type,
        eventCategory: r.event_category,
        managementEvent: bool(r.management_event),
        flags: r.flags,
        sourceId: r.source_id,
        recordIndex: r.record_index,
        resources: [],
      });
    }
    const res = db
      .prepare(
        `SELECT r.event_id AS id, t.value AS type, n.value AS name FROM event_resources r
         JOIN strings t ON t.id = r.type JOIN strings n ON n.id = r.name
         WHERE r.event_id IN (${placeholders(chunk.length)})`,
      )
      .all(...chunk) as { id: number; type: string; name: string }[];
    for (const x of res) byId.get(x.id)?.resources.push({ type: x.type, name: x.name });
  }
  const out: EventRow[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (row) out.push(row);
  }
  return out;
}

/** Matches per region for a filter (used by lookup-events to point at other regions). */
export function countByRegion(db: Db, filter: EventFilter): Map<string, number> {
  const q = buildSearch(db, filter, {});
  const out = new Map<string, number>();
  if (q.empty) return out;
  const sql = `SELECT s.value AS region, count(*) AS n FROM (${q.sql.replace(/ ORDER BY .*$/, '')}) x
    JOIN events e2 ON e2.id = x.id LEFT JOIN strings s ON s.id = e2.aws_region GROUP BY s.value`;
  for (const r of db.prepare(sql).all(...q.params) as { region: string | null; n: number }[]) out.set(r.region ?? '(none)', r.n);
  return out;
}
