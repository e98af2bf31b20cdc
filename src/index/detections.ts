// Storage of detections in the case (migration 0003-detections): rule state for incremental runs, each event rule's
// matches, and findings with their events. Plus the few reads the rule engine needs from the events table: the
// distinct values of a column (to decide a rule's tests once per value, not once per event), id sets, candidate
// rows and the columns a finding summarises. The engine itself is src/detect.

import type { Db } from './open.js';
import { cachedStatement } from './statements.js';
import { EVENT_FLAGS } from '../model/event-columns.js';
import { idTextSql, unpackId } from './ids.js';
import { resolveStrings } from './strings.js';
import type { Finding } from '../model/detection.js';
import { TRUST_LABELS, type TrustLabel } from '../model/integrity.js';
import { latestVerifyRun } from './trust.js';

export interface RuleState {
  hash: string;
  lastRow: number;
}

function hasDetectionTables(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'findings'").get() !== undefined;
}

export function ruleStates(db: Db): Map<string, RuleState> {
  const rows = db.prepare('SELECT rule_id, hash, last_row FROM detect_rules').all() as Array<{ rule_id: string; hash: string; last_row: number }>;
  return new Map(rows.map((r) => [r.rule_id, { hash: r.hash, lastRow: r.last_row }]));
}

export function saveRuleState(db: Db, ruleId: string, hash: string, meta: unknown, lastRow: number, runId: number): void {
  cachedStatement(db, 'INSERT OR REPLACE INTO detect_rules (rule_id, hash, meta, last_row, run_id) VALUES (?,?,?,?,?)').run(ruleId, hash, JSON.stringify(meta), lastRow, runId);
}

export function startDetectRun(db: Db, version: string): number {
  return Number(db.prepare('INSERT INTO detect_runs (started_at, tool_version) VALUES (?, ?)').run(new Date().toISOString(), version).lastInsertRowid);
}

export function finishDetectRun(db: Db, runId: number, summary: unknown): void {
  db.prepare('UPDATE detect_runs SET finished_at = ?, summary = ? WHERE id = ?').run(new Date().toISOString(), JSON.stringify(summary), runId);
}

/** The highest events.id (0 for an empty case). */
export function maxEventRow(db: Db): number {
  return (db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck().get() as number) ?? 0;
}

/** Events that were partial at the last run (to evaluate again: a fuller copy may have replaced them). */
export function previouslyPartialRows(db: Db): number[] {
  return db.prepare('SELECT event_row FROM detect_partial').pluck().all() as number[];
}

/** Remember which events to evaluate again next time: the partial ones now, and `also` (records not read). */
export function recordPartialRows(db: Db, also: readonly number[] = []): void {
  db.exec('DELETE FROM detect_partial');
  db.prepare(`INSERT INTO detect_partial (event_row) SELECT id FROM events WHERE flags & ${EVENT_FLAGS.partial}`).run();
  const ins = db.prepare('INSERT OR IGNORE INTO detect_partial (event_row) VALUES (?)');
  for (const r of also) ins.run(r);
}

/**
 * Drop matches and finding links of events that are no longer in the case (an interrupted ingest rolled back):
 * checked cheaply first, by counting the events up to the last run's highest row.
 */
export function dropVanishedEvents(db: Db): number {
  const last = db.prepare('SELECT summary FROM detect_runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
  if (last) {
    const s = JSON.parse(last) as { events?: number; eventCount?: number };
    if (typeof s.events === 'number' && typeof s.eventCount === 'number') {
      const now = db.prepare('SELECT count(*) FROM events WHERE id <= ?').pluck().get(s.events) as number;
      if (now === s.eventCount) return 0;
    }
  }
  const a = db.prepare('DELETE FROM detect_matches WHERE event_row NOT IN (SELECT id FROM events)').run().changes;
  db.prepare('DELETE FROM finding_events WHERE event_row NOT IN (SELECT id FROM events)').run();
  return a;
}

/** Events with id ≤ maxRow (recorded by each run, so the next can tell whether any vanished). */
export function eventCountThrough(db: Db, maxRow: number): number {
  return db.prepare('SELECT count(*) FROM events WHERE id <= ?').pluck().get(maxRow) as number;
}

/** Columns the engine may read values of (the registry's dictionary-coded string columns). */
const VALUE_COLUMNS = /^[a-z_]+$/;

/**
 * The distinct values of a dictionary-coded column among events with id > fromRow (or in `rows`), as
 * (string id, value) pairs. NULL is not listed.
 */
export function distinctColumnValues(db: Db, column: string, fromRow: number, rows: readonly number[] = []): Array<{ id: number; value: string }> {
  if (!VALUE_COLUMNS.test(column)) throw new Error(`not a column: ${column}`);
  const inRange = fromRow > 0 ? `e.id > ${Number(fromRow)}` : '1';
  const extra = rows.length ? ` OR e.id IN (${rows.map(Number).join(',')})` : '';
  return db
    .prepare(`SELECT s.id, s.value FROM strings s WHERE s.id IN (SELECT DISTINCT e.${column} FROM events e WHERE (${inRange}${extra}) AND e.${column} IS NOT NULL)`)
    .all() as Array<{ id: number; value: string }>;
}

/**
 * Columns added to `events` after a case was created hold NULL in the rows written before (meta
 * column_from.<column> = the first row that has it): column → that row.
 */
export function columnsValidFrom(db: Db): Map<string, number> {
  const rows = db.prepare("SELECT key, value FROM meta WHERE key LIKE 'column\\_from.%' ESCAPE '\\'").all() as Array<{ key: string; value: string }>;
  return new Map(rows.map((r) => [r.key.slice('column_from.'.length), Number(r.value)]));
}

let setCounter = 0;

/** A TEMP table holding a set of integers; SQL can test `x IN temp.<name>`. */
export function tempIdSet(db: Db, ids: Iterable<number>): string {
  const name = `th_set_${++setCounter}`;
  db.exec(`CREATE TEMP TABLE ${name} (id INTEGER PRIMARY KEY)`);
  const ins = db.prepare(`INSERT OR IGNORE INTO temp.${name} (id) VALUES (?)`);
  db.transaction(() => {
    for (const id of ids) ins.run(id);
  })();
  return name;
}

export function dropTempSets(db: Db, names: readonly string[]): void {
  for (const n of names) db.exec(`DROP TABLE IF EXISTS temp.${n}`);
}

function rangeSql(rows: readonly number[]): string {
  return rows.length ? `(e.id > ? OR e.id IN (${rows.map(Number).join(',')}))` : 'e.id > ?';
}

/** Distinct values of a dictionary-coded column among the given events (at most `limit`). */
export function columnValuesOfRows(db: Db, column: string, rows: readonly number[], limit: number): string[] {
  if (!VALUE_COLUMNS.test(column)) throw new Error(`not a column: ${column}`);
  if (!rows.length) return [];
  return db
    .prepare(`SELECT DISTINCT s.value FROM events e JOIN strings s ON s.id = e.${column} WHERE e.id IN (${rows.map(Number).join(',')}) LIMIT ${Number(limit)}`)
    .pluck()
    .all() as string[];
}

/**
 * The first row whose oddFields flag was set at ingest (meta flag_from.odd_fields; 1 for a case made with it): rows
 * before were never checked.
 */
export function oddFlagFrom(db: Db): number {
  const v = db.prepare("SELECT value FROM meta WHERE key = 'flag_from.odd_fields'").pluck().get() as string | undefined;
  return v === undefined ? 1 : Number(v);
}

/** SQL true for rows whose columns may not say what the record says (flag oddFields, or older than the flag). */
function oddSql(flagFrom: number): string {
  // Written as the partial index events_odd's own WHERE (`flags & 64`), so SQLite can use it.
  return `(e.flags & ${EVENT_FLAGS.oddFields}${flagFrom > 1 ? ` OR e.id < ${Number(flagFrom)}` : ''})`;
}

/** Events (id > fromRow, or in `rows`) whose columns may not say what their record says: the record decides. */
export function oddRows(db: Db, fromRow: number, rows: readonly number[], flagFrom: number): number[] {
  return db.prepare(`SELECT e.id FROM events e WHERE ${rangeSql(rows)} AND ${oddSql(flagFrom)}`).pluck().all(fromRow) as number[];
}

/**
 * Record as matches of a rule the events (id > fromRow, or in `rows`) where `lower` holds: certain matches
 * (rows whose columns may be misleading are left to their records).
 */
export function insertSureMatches(db: Db, ruleId: string, lower: string, fromRow: number, rows: readonly number[], flagFrom: number): number {
  if (lower === '0') return 0;
  return db
    .prepare(`INSERT OR IGNORE INTO detect_matches (rule_id, event_row) SELECT ?, e.id FROM events e WHERE ${rangeSql(rows)} AND (${lower}) AND NOT ${oddSql(flagFrom)}`)
    .run(ruleId, fromRow).changes;
}

/** Events (id > fromRow, or in `rows`) where `upper` holds and `lower` does not: the record must decide. */
export function undecidedRows(db: Db, upper: string, lower: string, fromRow: number, rows: readonly number[], flagFrom: number): number[] {
  if (upper === lower || upper === '0') return [];
  const notLower = lower === '0' ? '' : ` AND NOT (${lower})`;
  return db.prepare(`SELECT e.id FROM events e WHERE ${rangeSql(rows)} AND (${upper})${notLower} AND NOT ${oddSql(flagFrom)}`).pluck().all(fromRow) as number[];
}

/**
 * Every match of a rule as a raw row [events.id, event_time, arn, principal_id, username, access_key_id, source_ip,
 * recipient_account_id, aws_region, error_code, error_message] (string columns as string ids; resolve with
 * resolveStrings; error_message is text).
 */
export function forEachMatchRaw(db: Db, ruleId: string, fn: (row: Array<number | string | null>) => void, actors?: readonly number[]): void {
  const only = actors ? ` AND ${ACTOR_SQL} IN (${actors.map(Number).join(',')})` : '';
  const st = cachedStatement(
    db,
    `SELECT e.id, e.event_time, e.arn, e.principal_id, e.username, e.access_key_id, e.source_ip, e.recipient_account_id, e.aws_region, e.error_code, e.error_message
     FROM detect_matches m JOIN events e ON e.id = m.event_row WHERE m.rule_id = ?${only}`,
  ).raw();
  for (const r of st.iterate(ruleId) as IterableIterator<Array<number | string | null>>) fn(r);
}

/** Who acted in an event, as a string id (0: nobody known): principal ARN, principal ID, user name, key, source IP. */
const ACTOR_SQL = 'coalesce(e.arn, e.principal_id, e.username, e.access_key_id, e.source_ip, 0)';

/** The actors (ACTOR_SQL) of a rule's matches on events after `afterRow`. */
export function actorsOfMatchesAfter(db: Db, ruleId: string, afterRow: number): number[] {
  return db.prepare(`SELECT DISTINCT ${ACTOR_SQL} FROM detect_matches m JOIN events e ON e.id = m.event_row WHERE m.rule_id = ? AND m.event_row > ?`).pluck().all(ruleId, afterRow) as number[];
}

export function deleteFinding(db: Db, findingId: string): void {
  cachedStatement(db, 'DELETE FROM finding_events WHERE finding_id = ?').run(findingId);
  cachedStatement(db, 'DELETE FROM findings WHERE finding_id = ?').run(findingId);
}

/** Every event (id > fromRow, or in rows) with its source position, in source order: the full-scan path. */
export function scanRows(db: Db, fromRow: number, rows: readonly number[]): number[] {
  const range = rows.length ? `(id > ? OR id IN (${rows.map(Number).join(',')}))` : 'id > ?';
  return db.prepare(`SELECT id FROM events WHERE ${range} ORDER BY source_id, record_index`).pluck().all(fromRow) as number[];
}

export function clearMatches(db: Db, ruleId: string, rows: readonly number[] | null): void {
  if (rows === null) {
    cachedStatement(db, 'DELETE FROM detect_matches WHERE rule_id = ?').run(ruleId);
    return;
  }
  const del = cachedStatement(db, 'DELETE FROM detect_matches WHERE rule_id = ? AND event_row = ?');
  for (const r of rows) del.run(ruleId, r);
}

export function addMatches(db: Db, ruleId: string, rows: readonly number[]): void {
  const ins = cachedStatement(db, 'INSERT OR IGNORE INTO detect_matches (rule_id, event_row) VALUES (?, ?)');
  for (const r of rows) ins.run(ruleId, r);
}

/** What a finding summarises of each matched event. */
export interface MatchedEvent {
  row: number;
  eventId: string;
  time: number | null;
  arn: string | null;
  principalId: string | null;
  username: string | null;
  accessKeyId: string | null;
  sourceIp: string | null;
  account: string | null;
  region: string | null;
  errorCode: string | null;
  /** Failed calls without an errorCode say so here (a failed ConsoleLogin: "Failed authentication"). */
  errorMessage: string | null;
  userAgent: string | null;
}

const MATCHED_SQL = `e.id, e.event_id, e.event_time, e.arn, e.principal_id, e.username, e.access_key_id, e.source_ip,
  e.recipient_account_id, e.aws_region, e.error_code, e.user_agent, e.error_message`;
type RawMatched = [number, unknown, number | null, ...Array<number | string | null>];

/** Raw rows → MatchedEvents, strings resolved through the one cache. */
function decodeMatched(db: Db, raw: RawMatched[]): MatchedEvent[] {
  const ids = new Set<number>();
  for (const r of raw) for (let i = 3; i < 12; i++) if (r[i] !== null) ids.add(r[i] as number);
  const s = resolveStrings(db, ids);
  const v = (id: number | string | null | undefined) => (typeof id !== 'number' ? null : (s.get(id) ?? null));
  return raw.map((r) => ({
    row: r[0],
    eventId: unpackId(r[1]) ?? '',
    time: r[2],
    arn: v(r[3]),
    principalId: v(r[4]),
    username: v(r[5]),
    accessKeyId: v(r[6]),
    sourceIp: v(r[7]),
    account: v(r[8]),
    region: v(r[9]),
    errorCode: v(r[10]),
    userAgent: v(r[11]),
    errorMessage: (r[12] as string | null) ?? null,
  }));
}

/** The matched events of a rule, oldest first. */
export function matchedEvents(db: Db, ruleId: string): MatchedEvent[] {
  const raw = cachedStatement(db, `SELECT ${MATCHED_SQL} FROM detect_matches m JOIN events e ON e.id = m.event_row WHERE m.rule_id = ? ORDER BY e.event_time, e.id`).raw().all(ruleId) as RawMatched[];
  return decodeMatched(db, raw);
}

/** A finding as stored: the JSON body without its event list and trust (both are read back from their tables). */
export type StoredFinding = Omit<Finding, 'eventIds' | 'trust'>;

export function deleteFindings(db: Db, ruleId: string): void {
  cachedStatement(db, 'DELETE FROM finding_events WHERE finding_id IN (SELECT finding_id FROM findings WHERE rule_id = ?)').run(ruleId);
  cachedStatement(db, 'DELETE FROM findings WHERE rule_id = ?').run(ruleId);
}

/** Drop the findings (and matches and state) of rules not in `keep` — rules removed from the rule set. */
export function forgetRulesExcept(db: Db, keep: ReadonlySet<string>): string[] {
  const known = new Set([...(db.prepare('SELECT rule_id FROM detect_rules').pluck().all() as string[]), ...(db.prepare('SELECT DISTINCT rule_id FROM findings').pluck().all() as string[])]);
  const gone = [...known].filter((r) => !keep.has(r));
  for (const r of gone) {
    deleteFindings(db, r);
    clearMatches(db, r, null);
    db.prepare('DELETE FROM detect_rules WHERE rule_id = ?').run(r);
  }
  return gone;
}

export function insertFinding(db: Db, f: StoredFinding, levelRank: number, firstTime: number | null, lastTime: number | null, rows: readonly number[], runId: number): void {
  cachedStatement(db, 'INSERT OR REPLACE INTO findings (finding_id, rule_id, level_rank, first_time, last_time, event_count, outcome, body, run_id) VALUES (?,?,?,?,?,?,?,?,?)').run(
    f.findingId,
    f.ruleId,
    levelRank,
    firstTime,
    lastTime,
    f.eventCount,
    f.outcome,
    JSON.stringify(f),
    runId,
  );
  const ins = cachedStatement(db, 'INSERT OR IGNORE INTO finding_events (finding_id, event_row) VALUES (?, ?)');
  for (const r of rows) ins.run(f.findingId, r);
}

export interface FindingQuery {
  minLevelRank?: number;
  ruleIds?: readonly string[];
  /** Read each finding's eventIDs (every matched event: large for a noisy rule). Default true. */
  eventIds?: boolean;
  /** At most this many eventIDs per finding (the oldest); default all. */
  maxEventIds?: number;
}

/** Stored findings, most severe first, then oldest first; with their events' eventIDs (oldest first). */
export function readFindings(db: Db, q: FindingQuery = {}): Array<{ finding: StoredFinding; eventIds: string[] }> {
  if (!hasDetectionTables(db)) return [];
  const where: string[] = ['level_rank >= ?'];
  const params: unknown[] = [q.minLevelRank ?? 0];
  if (q.ruleIds?.length) {
    where.push(`rule_id IN (${q.ruleIds.map(() => '?').join(',')})`);
    params.push(...q.ruleIds);
  }
  const list = db.prepare(`SELECT finding_id, body FROM findings WHERE ${where.join(' AND ')} ORDER BY level_rank DESC, first_time, rule_id, finding_id`).all(...params) as Array<{ finding_id: string; body: string }>;
  const ev = cachedStatement(db, `SELECT ${idTextSql('e.event_id')} FROM finding_events f JOIN events e ON e.id = f.event_row WHERE f.finding_id = ? ORDER BY e.event_time, e.id LIMIT ?`).pluck();
  const max = q.maxEventIds ?? -1;
  return list.map((r) => ({ finding: JSON.parse(r.body) as StoredFinding, eventIds: q.eventIds === false ? [] : (ev.all(r.finding_id, max) as string[]) }));
}

/**
 * The weakest trust label among a finding's events (latest verify run; 'unverified' when none): unverified when an
 * event has no occurrence better than unverified, else provisional when one has no proven occurrence, else proven.
 */
export function findingTrust(db: Db, findingId: string): TrustLabel {
  const run = latestVerifyRun(db);
  if (run === null) return 'unverified';
  const lacking = (rank: number) =>
    cachedStatement(
      db,
      `SELECT 1 FROM finding_events f WHERE f.finding_id = ?
         AND NOT EXISTS (SELECT 1 FROM events p JOIN integrity_source_trust t ON t.source_id = p.source_id AND t.run_id = ? AND t.rank <= ? WHERE p.id = f.event_row)
         AND NOT EXISTS (SELECT 1 FROM extra_occurrences o JOIN integrity_source_trust t ON t.source_id = o.source_id AND t.run_id = ? AND t.rank <= ? WHERE o.event_id = f.event_row) LIMIT 1`,
    ).get(findingId, run, rank, run, rank) !== undefined;
  if (lacking(1)) return TRUST_LABELS[2];
  if (lacking(0)) return TRUST_LABELS[1];
  return TRUST_LABELS[0];
}

