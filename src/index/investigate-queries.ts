// SQL used by the investigations (src/scenarios/). Everything here reads through indexed columns of `events`
// (strings resolved to ids first) and returns rows with the strings resolved, so callers never see a string id.

import type { Db } from './open.js';
import type { EventColumns } from '../model/types.js';
import { unpackId, packId } from './ids.js';

/** One event's columns, resolved, plus the events.id row id and its flags. */
export interface EventRow extends EventColumns {
  /** events.id (the row id used by readEventBody, event_resources, trust). */
  id: number;
  flags: number;
}

/** Restrictions common to every investigation. Times are ms since the epoch, inclusive bounds. */
export interface EventFilter {
  start?: number | null;
  end?: number | null;
  /** recipientAccountId in any of these (empty or absent: any). */
  accounts?: readonly string[];
  /** awsRegion in any of these (empty or absent: any). */
  regions?: readonly string[];
}

// Rows are read as integers from `events` (no join), then their string ids are resolved through a per-connection
// cache: reading tens of thousands of rows through the 21-join view `events_v` is an order of magnitude slower.
const RAW_COLUMNS = `e.id, e.event_id, e.event_time, e.event_name, e.event_source, e.aws_region, e.recipient_account_id,
  e.source_ip, e.user_agent, e.identity_type, e.arn, e.principal_id, e.account_id, e.access_key_id, e.user_name,
  e.username, e.session_issuer_arn, e.session_issuer_user_name, e.invoked_by, e.source_identity, e.error_code,
  e.error_message, e.read_only, e.event_type, e.event_category, e.management_event, e.shared_event_id, e.request_id,
  e.vpc_endpoint_id, e.flags`;

/** Positions (in RAW_COLUMNS) of the columns that hold strings.id values. */
const STRING_COLS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 23, 24, 28];

const stringCache = new WeakMap<Db, Map<number, string>>();

/** Resolve string ids (cached per connection). */
function resolveStrings(db: Db, ids: Iterable<number>): Map<number, string> {
  let cache = stringCache.get(db);
  if (!cache) stringCache.set(db, (cache = new Map()));
  const missing: number[] = [];
  for (const id of ids) if (!cache.has(id)) missing.push(id);
  const CHUNK = 20_000;
  for (let i = 0; i < missing.length; i += CHUNK) {
    const rows = prep(db, 'SELECT id, value FROM strings WHERE id IN (SELECT value FROM json_each(?))')
      .raw()
      .all(JSON.stringify(missing.slice(i, i + CHUNK))) as Array<[number, string]>;
    for (const [id, value] of rows) cache.set(id, value);
  }
  return cache;
}

function rawToRows(db: Db, raw: unknown[][]): EventRow[] {
  const ids = new Set<number>();
  for (const r of raw) for (const c of STRING_COLS) if (r[c] != null) ids.add(r[c] as number);
  const strings = resolveStrings(db, ids);
  const s = (v: unknown): string | null => (v == null ? null : (strings.get(v as number) ?? null));
  return raw.map((r) => ({
    id: r[0] as number,
    eventId: unpackId(r[1]) ?? '',
    eventTime: r[2] as number | null,
    eventName: s(r[3]),
    eventSource: s(r[4]),
    awsRegion: s(r[5]),
    recipientAccountId: s(r[6]),
    sourceIPAddress: s(r[7]),
    userAgent: s(r[8]),
    identityType: s(r[9]),
    arn: s(r[10]),
    principalId: s(r[11]),
    accountId: s(r[12]),
    accessKeyId: s(r[13]),
    userName: s(r[14]),
    username: s(r[15]),
    sessionIssuerArn: s(r[16]),
    sessionIssuerUserName: s(r[17]),
    invokedBy: s(r[18]),
    sourceIdentity: s(r[19]),
    errorCode: s(r[20]),
    errorMessage: r[21] as string | null,
    readOnly: r[22] == null ? null : r[22] === 1,
    eventType: s(r[23]),
    eventCategory: s(r[24]),
    managementEvent: r[25] == null ? null : r[25] === 1,
    sharedEventId: unpackId(r[26]),
    requestId: unpackId(r[27]),
    vpcEndpointId: s(r[28]),
    flags: r[29] as number,
  }));
}

type Stmt = ReturnType<Db['prepare']> & { all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown };
const stmtCache = new WeakMap<Db, Map<string, Stmt>>();

function prep(db: Db, sql: string): Stmt {
  let m = stmtCache.get(db);
  if (!m) {
    m = new Map();
    stmtCache.set(db, m);
  }
  let s = m.get(sql);
  if (!s) {
    s = db.prepare(sql) as Stmt;
    m.set(sql, s);
  }
  return s;
}

/** strings.id of a value, or null when the case has never seen it. */
export function lookupStringId(db: Db, value: string): number | null {
  const id = prep(db, 'SELECT id FROM strings WHERE value = ?').pluck().get(value) as number | undefined;
  return id ?? null;
}

/** Several values at once; values the case has never seen are absent from the map. */
export function lookupStringIds(db: Db, values: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of new Set(values)) {
    const id = lookupStringId(db, v);
    if (id != null) out.set(v, id);
  }
  return out;
}

/**
 * SQL conditions on alias `e` for a filter, with their parameters. Returns null when the filter names only accounts or
 * regions the case has never seen (nothing can match).
 */
function filterSql(db: Db, f: EventFilter | undefined): { sql: string; params: unknown[] } | null {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f?.start != null) {
    parts.push('e.event_time >= ?');
    params.push(f.start);
  }
  if (f?.end != null) {
    parts.push('e.event_time <= ?');
    params.push(f.end);
  }
  for (const [list, col] of [
    [f?.accounts, 'recipient_account_id'],
    [f?.regions, 'aws_region'],
  ] as const) {
    if (!list || list.length === 0) continue;
    const ids = [...lookupStringIds(db, list).values()];
    if (ids.length === 0) return null;
    parts.push(`e.${col} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(ids));
  }
  return { sql: parts.length ? ` AND ${parts.join(' AND ')}` : '', params };
}

function rowsForIdQuery(db: Db, idSql: string, params: unknown[]): EventRow[] {
  const raw = prep(db, `SELECT ${RAW_COLUMNS} FROM events e WHERE e.id IN (${idSql})`).raw().all(...params) as unknown[][];
  return rawToRows(db, raw).sort(byTime);
}

/**
 * A few events signed with a key, without reading them all: the earliest, and the earliest whose identity is an IAM
 * user or root (the owner), else the earliest with any ARN.
 */
export function keySample(db: Db, key: string): { first: EventRow | null; owner: EventRow | null } {
  const kid = lookupStringId(db, key);
  if (kid == null) return { first: null, owner: null };
  const one = (sql: string, ...params: unknown[]): EventRow | null => {
    const id = prep(db, sql).pluck().get(...params) as number | undefined;
    return id == null ? null : (eventsByRowIds(db, [id])[0] ?? null);
  };
  const first = one('SELECT e.id FROM events e WHERE e.access_key_id = ? ORDER BY e.event_time, e.id LIMIT 1', kid);
  const types = [...lookupStringIds(db, ['IAMUser', 'Root']).values()];
  const owner =
    one('SELECT e.id FROM events e WHERE e.access_key_id = ? AND e.arn IS NOT NULL AND e.identity_type IN (SELECT value FROM json_each(?)) ORDER BY e.event_time LIMIT 1', kid, JSON.stringify(types)) ??
    one('SELECT e.id FROM events e WHERE e.access_key_id = ? AND e.arn IS NOT NULL ORDER BY e.event_time LIMIT 1', kid);
  return { first, owner };
}

/** Events with the given events.id values, oldest first. */
export function eventsByRowIds(db: Db, ids: readonly number[]): EventRow[] {
  if (ids.length === 0) return [];
  return rowsForIdQuery(db, 'SELECT value FROM json_each(?)', [JSON.stringify([...new Set(ids)])]);
}

/** Events signed with any of the access keys (optionally only some event names), oldest first. */
export function eventsByAccessKeys(db: Db, keys: readonly string[], filter?: EventFilter, names?: readonly string[]): EventRow[] {
  const ids = [...lookupStringIds(db, keys).values()];
  const f = filterSql(db, filter);
  if (ids.length === 0 || !f) return [];
  let nameSql = '';
  let keyCol = 'e.access_key_id';
  const params: unknown[] = [JSON.stringify(ids)];
  if (names) {
    const nids = [...lookupStringIds(db, names).values()];
    if (nids.length === 0) return [];
    nameSql = ' AND e.event_name IN (SELECT value FROM json_each(?))';
    params.push(JSON.stringify(nids));
    // Drive the query from the smaller side: the keys' events or the events with these names (bounded probes).
    const probe = (col: string, list: number[]) =>
      prep(db, `SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.${col} IN (SELECT value FROM json_each(?)) LIMIT ${PROBE_LIMIT})`)
        .pluck()
        .get(JSON.stringify(list)) as number;
    if (probe('event_name', nids) < probe('access_key_id', ids)) keyCol = '+e.access_key_id';
  }
  return rowsForIdQuery(db, `SELECT e.id FROM events e WHERE ${keyCol} IN (SELECT value FROM json_each(?))${nameSql}${f.sql}`, [
    ...params,
    ...f.params,
  ]);
}

const PROBE_LIMIT = 50_000;

/** eventID as text, formatted in SQLite (a packed UUID BLOB becomes its 8-4-4-4-12 form): no Buffer per row. */
const EVENT_ID_TEXT = `CASE typeof(e.event_id) WHEN 'blob' THEN
  lower(substr(hex(e.event_id), 1, 8) || '-' || substr(hex(e.event_id), 9, 4) || '-' || substr(hex(e.event_id), 13, 4) || '-' ||
  substr(hex(e.event_id), 17, 4) || '-' || substr(hex(e.event_id), 21)) ELSE e.event_id END`;

const SLIM_COLUMNS = `e.id, ${EVENT_ID_TEXT}, e.event_time, e.event_name, e.event_source, e.aws_region, e.recipient_account_id,
  e.source_ip, e.user_agent, e.identity_type, e.arn, e.access_key_id, e.error_code, e.error_message`;

/**
 * Timeline rows of the events signed by any of the keys, oldest first: only the columns a cited event shows
 * (eventId, time, name, source, region, account, IP, user agent, identity type, ARN, key, error) are filled; the
 * others are null. About twice as fast as full rows for keys with tens of thousands of events.
 */
export function timelineByAccessKeys(db: Db, keys: readonly string[]): EventRow[] {
  const ids = [...lookupStringIds(db, keys).values()];
  if (ids.length === 0) return [];
  const raw = prep(db, `SELECT ${SLIM_COLUMNS} FROM events e WHERE e.access_key_id IN (SELECT value FROM json_each(?))`)
    .raw()
    .all(JSON.stringify(ids)) as unknown[][];
  const sids = new Set<number>();
  for (const r of raw) for (let c = 3; c <= 12; c++) if (r[c] != null) sids.add(r[c] as number);
  const strings = resolveStrings(db, sids);
  const s = (v: unknown): string | null => (v == null ? null : (strings.get(v as number) ?? null));
  const out: EventRow[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i];
    out[i] = {
      id: r[0] as number,
      eventId: String(r[1]),
      eventTime: r[2] as number | null,
      eventName: s(r[3]),
      eventSource: s(r[4]),
      awsRegion: s(r[5]),
      recipientAccountId: s(r[6]),
      sourceIPAddress: s(r[7]),
      userAgent: s(r[8]),
      identityType: s(r[9]),
      arn: s(r[10]),
      principalId: null,
      accountId: null,
      accessKeyId: s(r[11]),
      userName: null,
      username: null,
      sessionIssuerArn: null,
      sessionIssuerUserName: null,
      invokedBy: null,
      sourceIdentity: null,
      errorCode: s(r[12]),
      errorMessage: r[13] as string | null,
      readOnly: null,
      eventType: null,
      eventCategory: null,
      managementEvent: null,
      sharedEventId: null,
      requestId: null,
      vpcEndpointId: null,
      flags: 0,
    };
  }
  return out.sort(byTime);
}

/** Events whose principal ARN (userIdentity.arn) is one of `arns`, oldest first. */
export function eventsByArns(db: Db, arns: readonly string[], filter?: EventFilter): EventRow[] {
  const ids = [...lookupStringIds(db, arns).values()];
  const f = filterSql(db, filter);
  if (ids.length === 0 || !f) return [];
  return rowsForIdQuery(db, `SELECT e.id FROM events e WHERE e.arn IN (SELECT value FROM json_each(?))${f.sql}`, [
    JSON.stringify(ids),
    ...f.params,
  ]);
}

/** Events with one of the event names (and, when given, one of the event sources), oldest first. */
export function eventsByNames(db: Db, names: readonly string[], filter?: EventFilter, sources?: readonly string[]): EventRow[] {
  const ids = [...lookupStringIds(db, names).values()];
  const f = filterSql(db, filter);
  if (ids.length === 0 || !f) return [];
  let srcSql = '';
  const params: unknown[] = [JSON.stringify(ids)];
  if (sources) {
    const sids = [...lookupStringIds(db, sources).values()];
    if (sids.length === 0) return [];
    srcSql = ' AND e.event_source IN (SELECT value FROM json_each(?))';
    params.push(JSON.stringify(sids));
  }
  return rowsForIdQuery(db, `SELECT e.id FROM events e WHERE e.event_name IN (SELECT value FROM json_each(?))${srcSql}${f.sql}`, [
    ...params,
    ...f.params,
  ]);
}

/** Events from one event source (e.g. iam.amazonaws.com), oldest first; optionally without read-only calls. */
export function eventsBySource(db: Db, source: string, filter?: EventFilter, options: { excludeReadOnly?: boolean } = {}): EventRow[] {
  const id = lookupStringId(db, source);
  const f = filterSql(db, filter);
  if (id == null || !f) return [];
  const ro = options.excludeReadOnly ? ' AND (e.read_only IS NULL OR e.read_only = 0)' : '';
  return rowsForIdQuery(db, `SELECT e.id FROM events e WHERE e.event_source = ?${ro}${f.sql}`, [id, ...f.params]);
}

/** Events that name a resource (event_resources), of any type or of the given types, oldest first. */
export function eventsByResourceName(db: Db, name: string, filter?: EventFilter, types?: readonly string[]): EventRow[] {
  const id = lookupStringId(db, name);
  const f = filterSql(db, filter);
  if (id == null || !f) return [];
  let typeSql = '';
  const params: unknown[] = [id];
  if (types) {
    const tids = [...lookupStringIds(db, types).values()];
    if (tids.length === 0) return [];
    typeSql = ' AND r.type IN (SELECT value FROM json_each(?))';
    params.push(JSON.stringify(tids));
  }
  return rowsForIdQuery(
    db,
    `SELECT e.id FROM event_resources r JOIN events e ON e.id = r.event_id WHERE r.name = ?${typeSql}${f.sql}`,
    [...params, ...f.params],
  );
}

/** Resource (type, name) pairs of events. */
export function resourcesOfEvents(db: Db, ids: readonly number[]): Map<number, Array<{ type: string; name: string }>> {
  const out = new Map<number, Array<{ type: string; name: string }>>();
  if (ids.length === 0) return out;
  const rows = prep(
    db,
    `SELECT r.event_id AS id, t.value AS type, n.value AS name FROM event_resources r
     JOIN strings t ON t.id = r.type JOIN strings n ON n.id = r.name
     WHERE r.event_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify([...new Set(ids)])) as Array<{ id: number; type: string; name: string }>;
  for (const r of rows) {
    let list = out.get(r.id);
    if (!list) out.set(r.id, (list = []));
    list.push({ type: r.type, name: r.name });
  }
  return out;
}

/** Events that share a sharedEventID or requestID with the given values (the other accounts' copies of a call). */
export function eventsBySharedOrRequestIds(db: Db, sharedIds: readonly string[], requestIds: readonly string[]): EventRow[] {
  const out = new Map<number, EventRow>();
  const q = (col: 'shared_event_id' | 'request_id', values: readonly string[]) => {
    for (const v of new Set(values)) {
      for (const r of rowsForIdQuery(db, `SELECT e.id FROM events e WHERE e.${col} = ?`, [packId(v)])) out.set(r.id, r);
    }
  };
  q('shared_event_id', sharedIds);
  q('request_id', requestIds);
  return [...out.values()].sort(byTime);
}

export function byTime(a: { eventTime: number | null; id: number }, b: { eventTime: number | null; id: number }): number {
  const ta = a.eventTime ?? Number.MAX_SAFE_INTEGER;
  const tb = b.eventTime ?? Number.MAX_SAFE_INTEGER;
  return ta - tb || a.id - b.id;
}

/** Slim activity rows of a principal (by ARN) for baselines: no event body, strings resolved. */
export interface ActivityRow {
  id: number;
  eventTime: number | null;
  sourceIPAddress: string | null;
  awsRegion: string | null;
  eventSource: string | null;
  userAgent: string | null;
  eventName: string | null;
  accessKeyId: string | null;
}

/** Activity of principals by ARN, leaving out events signed by `exceptKeys` (the caller has those already). */
export function activityOf(db: Db, arns: readonly string[], exceptKeys: readonly string[] = [], filter?: EventFilter): ActivityRow[] {
  const f = filterSql(db, filter);
  if (!f) return [];
  const arnIds = [...lookupStringIds(db, arns).values()];
  if (arnIds.length === 0) return [];
  const keyIds = [...lookupStringIds(db, exceptKeys).values()];
  const sql = `SELECT e.id, e.event_time, e.source_ip, e.aws_region, e.event_source, e.user_agent, e.event_name, e.access_key_id
    FROM events e WHERE e.arn IN (SELECT value FROM json_each(?))
      AND (e.access_key_id IS NULL OR e.access_key_id NOT IN (SELECT value FROM json_each(?)))${f.sql}`;
  const raw = prep(db, sql)
    .raw()
    .all(JSON.stringify(arnIds), JSON.stringify(keyIds), ...f.params) as unknown[][];
  const ids = new Set<number>();
  for (const r of raw) for (let c = 2; c <= 7; c++) if (r[c] != null) ids.add(r[c] as number);
  const strings = resolveStrings(db, ids);
  const s = (v: unknown): string | null => (v == null ? null : (strings.get(v as number) ?? null));
  return raw
    .map((r) => ({
      id: r[0] as number,
      eventTime: r[1] as number | null,
      sourceIPAddress: s(r[2]),
      awsRegion: s(r[3]),
      eventSource: s(r[4]),
      userAgent: s(r[5]),
      eventName: s(r[6]),
      accessKeyId: s(r[7]),
    }))
    .sort(byTime);
}

/**
 * Did a principal (by ARN) act before `before` — from `ip` when given — in an event not in `exclude`? One indexed
 * probe that stops at the first hit.
 */
export function principalSeenBefore(db: Db, arn: string, before: number, ip: string | null, exclude: readonly number[] = []): boolean {
  const arnId = lookupStringId(db, arn);
  if (arnId == null) return false;
  const ex = JSON.stringify(exclude);
  if (ip == null) {
    return (
      prep(db, 'SELECT 1 FROM events e WHERE e.arn = ? AND e.event_time < ? AND e.id NOT IN (SELECT value FROM json_each(?)) LIMIT 1').get(arnId, before, ex) !==
      undefined
    );
  }
  const ipId = lookupStringId(db, ip);
  if (ipId == null) return false;
  return (
    prep(db, 'SELECT 1 FROM events e WHERE e.source_ip = ? AND +e.arn = ? AND e.event_time < ? AND e.id NOT IN (SELECT value FROM json_each(?)) LIMIT 1').get(
      ipId,
      arnId,
      before,
      ex,
    ) !== undefined
  );
}

/** Run a named, parameterised SQL query (a YAML scenario). Only SELECT-style statements are allowed. */
export function runScenarioSql(db: Db, sql: string, params: Record<string, unknown>): Record<string, unknown>[] {
  const stmt = prep(db, sql);
  if (!stmt.reader) throw new Error('a scenario query must return rows (SELECT or WITH ... SELECT)');
  const bound: Record<string, unknown> = {};
  // better-sqlite3 requires exactly the parameters the statement names; pass only those.
  for (const p of namedParams(sql)) bound[p] = normaliseParam(params[p]);
  return (stmt.all(bound) as Record<string, unknown>[]).map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      out[k] = Buffer.isBuffer(v) || v instanceof Uint8Array ? unpackId(v) : v;
    }
    return out;
  });
}

function normaliseParam(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** The :named parameters a SQL text uses (outside string literals). */
export function namedParams(sql: string): string[] {
  const names = new Set<string>();
  const stripped = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/--[^\n]*/g, '');
  for (const m of stripped.matchAll(/[:@$]([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
  return [...names];
}
