// The case's readable views, for analysts' own SQL (`trailhound sql`, the sqlite3 shell, Datasette): event IDs as
// text, times as ISO 8601 UTC, strings resolved, flags and trust as columns, provenance as a file path. Generated
// from the column registry (model/event-columns.ts); documented column by column in docs/case-format.md.
//
// The stored views are brought up to date whenever a case is opened for writing (ingest, verify, migrate); a read-only
// connection (`trailhound sql`) shadows them with TEMP views of the same definition, so it always sees the current
// ones even in a case written by an older trailhound.

import type Database from 'better-sqlite3';

/** A connection (open.ts opens them and calls the two functions below). */
type Db = Database.Database;
import { EVENT_COLUMNS, EVENT_FLAGS, FLAG_COLUMNS } from '../model/event-columns.js';
import { idTextSql } from './ids.js';
import { eventTrustSql } from './trust.js';

/** ISO 8601 UTC text of a ms-since-epoch expression, as trailhound prints times (milliseconds only when not zero). */
function isoTimeSql(expr: string): string {
  return `CASE WHEN ${expr} IS NULL THEN NULL WHEN ${expr} % 1000 = 0 THEN strftime('%Y-%m-%dT%H:%M:%SZ', ${expr} / 1000, 'unixepoch') ELSE strftime('%Y-%m-%dT%H:%M:%fZ', ${expr} / 1000.0, 'unixepoch') END`;
}

interface ViewDef {
  name: string;
  sql: string;
}

function eventsView(): string {
  const cols: string[] = ['e.id AS row_id'];
  const joins: string[] = [];
  for (const c of EVENT_COLUMNS) {
    if (c.kind === 'id') cols.push(`${idTextSql(`e.${c.column}`)} AS ${c.column}`);
    else if (c.kind === 'time') cols.push(`${isoTimeSql(`e.${c.column}`)} AS ${c.column}`, `e.${c.column} AS ${c.column}_ms`);
    else if (c.kind === 'string') {
      const alias = `s_${c.column}`;
      cols.push(`${alias}.value AS ${c.column}`);
      joins.push(`LEFT JOIN strings ${alias} ON ${alias}.id = e.${c.column}`);
    } else cols.push(`e.${c.column}`);
  }
  for (const f of FLAG_COLUMNS) cols.push(`(e.flags & ${EVENT_FLAGS[f.flag]}) <> 0 AS ${f.column}`);
  cols.push('e.flags', `${eventTrustSql('e.id')} AS trust`, 'src.path AS source_file', 'e.record_index', 'e.source_id');
  return `CREATE VIEW events_v AS SELECT\n  ${cols.join(',\n  ')}\nFROM events e\n${joins.join('\n')}\nLEFT JOIN sources src ON src.id = e.source_id`;
}

const RESOURCES_VIEW = `CREATE VIEW event_resources_v AS SELECT
  ${idTextSql('e.event_id')} AS event_id, t.value AS resource_type, n.value AS resource_name, r.event_id AS row_id
FROM event_resources r JOIN events e ON e.id = r.event_id
JOIN strings t ON t.id = r.type JOIN strings n ON n.id = r.name`;

/** Every place each event was seen: its first-seen file (in its own row) and the further ones (extra_occurrences). */
const OCCURRENCES_VIEW = `CREATE VIEW occurrences AS
SELECT id AS event_id, source_id, record_index, byte_offset, byte_length, 0 AS variant FROM events
UNION ALL
SELECT event_id, source_id, record_index, byte_offset, byte_length, variant FROM extra_occurrences`;

/** The views' current definitions. */
export function viewDefinitions(): ViewDef[] {
  return [
    { name: 'occurrences', sql: OCCURRENCES_VIEW },
    { name: 'events_v', sql: eventsView() },
    { name: 'event_resources_v', sql: RESOURCES_VIEW },
  ];
}

/** Bring the stored views up to date (a writing connection; inside the caller's transaction or its own). */
export function syncViews(db: Db): void {
  const stored = new Map((db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'view'").all() as Array<{ name: string; sql: string }>).map((r) => [r.name, r.sql]));
  const stale = viewDefinitions().filter((v) => stored.get(v.name) !== v.sql);
  if (stale.length === 0) return;
  db.transaction(() => {
    for (const v of stale) {
      db.exec(`DROP VIEW IF EXISTS ${v.name}`);
      db.exec(v.sql);
    }
  })();
}

/** Shadow the stored views with TEMP views of the current definitions (a read-only connection). */
export function useCurrentViews(db: Db): void {
  for (const v of viewDefinitions()) db.exec(v.sql.replace(/^CREATE VIEW /, 'CREATE TEMP VIEW '));
}
