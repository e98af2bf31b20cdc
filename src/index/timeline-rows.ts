// Every event of a case in time order, for a timeline export (docs/timeline.md): the registry's columns (read
// through the one event-row decoder, event-rows.ts), where the body was read from (file and record index), the
// event's trust label when the case was verified, and the findings that cite it. Streamed in batches off the
// events_time index, so a million-event case is exported in bounded memory.

import { cachedStatement, type Db } from './statements.js';
import { byTime, queryEventRows, type EventRow, type RowShape } from './event-rows.js';
import { EVENT_COLUMNS } from '../model/event-columns.js';
import { latestVerifyRun, trustForEvents } from './trust.js';
import { LEVELS, type Level } from '../model/detection.js';
import type { TrustLabel } from '../model/integrity.js';

/** A finding that cites an event: what a timeline tags the event with. */
export interface TimelineFinding {
  findingId: string;
  ruleId: string;
  title: string;
  level: Level;
}

export interface TimelineRow {
  /** The registry's listed columns (those search lists by default) and the resources; the other columns are null. */
  event: EventRow;
  /** The file the event's body was read from: its path under the evidence root given to ingest. */
  file: string | null;
  /** The event's best trust label from the latest verify run; null when the case was never verified. */
  trust: TrustLabel | null;
  /** The findings citing the event, most severe first, then by rule id. */
  findings: TimelineFinding[];
}

export interface TimelineRowOptions {
  /** Events read per batch (default 1000). */
  batch?: number;
}

/** What a timeline reads of each event: the listed columns (fewer identifiers to turn into text) and the resources. */
const SHAPE: RowShape = { columns: EVENT_COLUMNS.filter((c) => c.listed).map((c) => c.key), resources: true };

/** Every finding of the case by id (findings are few: a rule's matches are grouped). Empty before detect ran. */
function findingsById(db: Db): Map<string, TimelineFinding> {
  const out = new Map<string, TimelineFinding>();
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'finding_events'").get() === undefined) return out;
  const rows = db.prepare("SELECT finding_id, rule_id, level_rank, json_extract(body, '$.title') AS title FROM findings").raw().all() as Array<[string, string, number, string | null]>;
  for (const [findingId, ruleId, rank, title] of rows) out.set(findingId, { findingId, ruleId, title: title ?? ruleId, level: LEVELS[rank] ?? 'informational' });
  return out;
}

/** The findings citing each of the given events (row id → findings, most severe first). */
function findingsOf(db: Db, known: Map<string, TimelineFinding>, ids: readonly number[]): Map<number, TimelineFinding[]> {
  const out = new Map<number, TimelineFinding[]>();
  if (known.size === 0) return out;
  const rows = cachedStatement(db, 'SELECT event_row, finding_id FROM finding_events WHERE event_row IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(ids)) as Array<[number, string]>;
  for (const [row, findingId] of rows) {
    const f = known.get(findingId);
    if (!f) continue;
    let list = out.get(row);
    if (!list) out.set(row, (list = []));
    list.push(f);
  }
  const rank = (l: Level) => LEVELS.indexOf(l);
  for (const list of out.values()) list.sort((a, b) => rank(b.level) - rank(a.level) || a.ruleId.localeCompare(b.ruleId) || a.findingId.localeCompare(b.findingId));
  return out;
}

/**
 * Every event once, oldest first (ties by row id), events without a time last; each with its body's file, its
 * trust label and its findings. Reads `batch` events at a time: memory stays bounded whatever the case's size.
 */
export function* timelineRows(db: Db, options: TimelineRowOptions = {}): Generator<TimelineRow> {
  const size = Math.max(1, Math.floor(options.batch ?? 1000));
  const files = new Map(db.prepare('SELECT id, path FROM sources').raw().all() as Array<[number, string]>);
  const known = findingsById(db);
  const verified = latestVerifyRun(db) !== null;
  const segments = [
    'SELECT id FROM events INDEXED BY events_time WHERE event_time IS NOT NULL ORDER BY event_time, id',
    'SELECT id FROM events INDEXED BY events_time WHERE event_time IS NULL ORDER BY id',
  ];
  const emit = (ids: number[]): TimelineRow[] => {
    const findings = findingsOf(db, known, ids);
    const trust = verified ? trustForEvents(db, ids) : null;
    const events = queryEventRows(db, 'FROM events e WHERE e.id IN (SELECT value FROM json_each(?))', [JSON.stringify(ids)], SHAPE).sort(byTime);
    return events.map((event) => ({
      event,
      file: files.get(event.sourceId) ?? null,
      trust: trust ? (trust.get(event.id) ?? 'unverified') : null,
      findings: findings.get(event.id) ?? [],
    }));
  };
  for (const sql of segments) {
    let ids: number[] = [];
    for (const id of db.prepare(sql).pluck().iterate() as IterableIterator<number>) {
      ids.push(id);
      if (ids.length >= size) {
        yield* emit(ids);
        ids = [];
      }
    }
    if (ids.length) yield* emit(ids);
  }
}
