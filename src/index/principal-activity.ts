// What one principal or key did, read without loading its events: the first events of a key and its owner, slim
// activity rows for baselines, and "seen before" probes. Each is one indexed query that stops early where it can.

import { cachedStatement as prep, type Db } from './statements.js';
import { byTime, fetchEventRows, queryEventRows, type EventRow, type RowShape } from './event-rows.js';
import { stringId, stringIds } from './strings.js';


/**
 * A few events signed with a key, without reading them all: the earliest, and the earliest whose identity is an IAM
 * user or root (the owner), else the earliest with any ARN.
 */
export function keySample(db: Db, key: string): { first: EventRow | null; owner: EventRow | null } {
  const kid = stringId(db, key);
  if (kid == null) return { first: null, owner: null };
  const one = (sql: string, ...params: unknown[]): EventRow | null => {
    const id = prep(db, sql).pluck().get(...params) as number | undefined;
    return id == null ? null : (fetchEventRows(db, [id])[0] ?? null);
  };
  const first = one('SELECT e.id FROM events e WHERE e.access_key_id = ? ORDER BY e.event_time, e.id LIMIT 1', kid);
  const types = stringIds(db, ['IAMUser', 'Root']);
  const owner =
    one('SELECT e.id FROM events e WHERE e.access_key_id = ? AND e.arn IS NOT NULL AND e.identity_type IN (SELECT value FROM json_each(?)) ORDER BY e.event_time LIMIT 1', kid, JSON.stringify(types)) ??
    one('SELECT e.id FROM events e WHERE e.access_key_id = ? AND e.arn IS NOT NULL ORDER BY e.event_time LIMIT 1', kid);
  return { first, owner };
}

/** What a baseline reads of each event (src/scenarios/baseline.ts). */
const ACTIVITY: RowShape = { columns: ['sourceIPAddress', 'awsRegion', 'eventSource', 'userAgent', 'eventName', 'accessKeyId'] };

/** Activity of principals by ARN (only the columns a baseline reads; the others are null), oldest first, leaving out events signed by `exceptKeys` (the caller has those already). */
export function activityOf(db: Db, arns: readonly string[], exceptKeys: readonly string[] = []): EventRow[] {
  const arnIds = stringIds(db, arns);
  if (arnIds.length === 0) return [];
  const fromWhere = `FROM events e WHERE e.arn IN (SELECT value FROM json_each(?))
    AND (e.access_key_id IS NULL OR e.access_key_id NOT IN (SELECT value FROM json_each(?)))`;
  return queryEventRows(db, fromWhere, [JSON.stringify(arnIds), JSON.stringify(stringIds(db, exceptKeys))], ACTIVITY).sort(byTime);
}

/**
 * Did a principal (by ARN) act before `before` — from `ip` when given — in an event not in `exclude`? One indexed
 * probe that stops at the first hit.
 */
export function principalSeenBefore(db: Db, arn: string, before: number, ip: string | null, exclude: readonly number[] = []): boolean {
  const arnId = stringId(db, arn);
  if (arnId == null) return false;
  const ex = JSON.stringify(exclude);
  if (ip == null) {
    return (
      prep(db, 'SELECT 1 FROM events e WHERE e.arn = ? AND e.event_time < ? AND e.id NOT IN (SELECT value FROM json_each(?)) LIMIT 1').get(arnId, before, ex) !==
      undefined
    );
  }
  const ipId = stringId(db, ip);
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

