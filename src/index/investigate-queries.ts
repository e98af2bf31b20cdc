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

const ROW_COLUMNS = `v.id, v.event_id, v.event_time, v.event_name, v.event_source, v.aws_region, v.recipient_account_id,
  v.source_ip, v.user_agent, v.identity_type, v.arn, v.principal_id, v.account_id, v.access_key_id, v.user_name,
  v.username, v.session_issuer_arn, v.session_issuer_user_name, v.invoked_by, v.source_identity, v.error_code,
  v.error_message, v.read_only, v.event_type, v.event_category, v.management_event, v.shared_event_id, v.request_id,
  v.vpc_endpoint_id, v.flags`;

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
  session_issuer_user_name: string | null;
  invoked_by: string | null;
  source_identity: string | null;
  error_code: string | null;
  error_message: string | null;
  read_only: number | null;
  event_type: string | null;
  event_category: string | null;
  management_event: number | null;
  shared_event_id: unknown;
  request_id: unknown;
  vpc_endpoint_id: string | null;
  flags: number;
}

function toRow(r: RawRow): EventRow {
  return {
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
    sessionIssuerUserName: r.session_issuer_user_name,
    invokedBy: r.invoked_by,
    sourceIdentity: r.source_identity,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    readOnly: r.read_only == null ? null : r.read_only === 1,
    eventType: r.event_type,
    eventCategory: r.event_category,
    managementEvent: r.management_event == null ? null : r.management_event === 1,
    sharedEventId: unpackId(r.shared_event_id),
    requestId: unpackId(r.request_id),
    vpcEndpointId: r.vpc_endpoint_id,
    flags: r.flags,
  };
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
  const sql = `SELECT ${ROW_COLUMNS} FROM events_v v WHERE v.id IN (${idSql}) ORDER BY v.event_time IS NULL, v.event_time, v.id`;
  return (prep(db, sql).all(...params) as RawRow[]).map(toRow);
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
  const params: unknown[] = [JSON.stringify(ids)];
  if (names) {
    const nids = [...lookupStringIds(db, names).values()];
    if (nids.length === 0) return [];
    nameSql = ' AND e.event_name IN (SELECT value FROM json_each(?))';
    params.push(JSON.stringify(nids));
  }
  return rowsForIdQuery(db, `SELECT e.id FROM events e WHERE e.access_key_id IN (SELECT value FROM json_each(?))${nameSql}${f.sql}`, [
    ...params,
    ...f.params,
  ]);
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

/** Activity of principals (by ARN and/or access key) between two times, oldest first. */
export function activityOf(db: Db, arns: readonly string[], keys: readonly string[], filter?: EventFilter): ActivityRow[] {
  const f = filterSql(db, filter);
  if (!f) return [];
  const arnIds = [...lookupStringIds(db, arns).values()];
  const keyIds = [...lookupStringIds(db, keys).values()];
  if (arnIds.length === 0 && keyIds.length === 0) return [];
  const sql = `SELECT v.id, v.event_time AS eventTime, v.source_ip AS sourceIPAddress, v.aws_region AS awsRegion,
      v.event_source AS eventSource, v.user_agent AS userAgent, v.event_name AS eventName, v.access_key_id AS accessKeyId
    FROM events_v v WHERE v.id IN (
      SELECT e.id FROM events e WHERE e.arn IN (SELECT value FROM json_each(?))${f.sql}
      UNION SELECT e.id FROM events e WHERE e.access_key_id IN (SELECT value FROM json_each(?))${f.sql})
    ORDER BY v.event_time IS NULL, v.event_time, v.id`;
  return prep(db, sql).all(JSON.stringify(arnIds), ...f.params, JSON.stringify(keyIds), ...f.params) as ActivityRow[];
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
