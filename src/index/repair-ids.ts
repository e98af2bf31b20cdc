// Repairs identifiers an older trailhound let SQLite turn into numbers (schema migration 0005): the id columns are
// declared ANY, whose numeric affinity stored S3's request ID `991379651E138351` as the REAL Infinity, an all-digit
// eventID as an INTEGER (past 2^53 not even exactly) and `00012` as 12. The true text is in the record: each damaged
// value is read back from the event's record and stored as packId stores it now (ids.ts). A record that cannot be read
// (a --no-embed case whose evidence moved) leaves its value as it was; the count is returned.

import { readEventBody } from './bodies.js';
import { packId } from './ids.js';
import type { Db } from './statements.js';

/** The id columns and the record field each one holds. */
const ID_FIELDS = [
  { column: 'event_id', field: 'eventID' },
  { column: 'request_id', field: 'requestID' },
  { column: 'shared_event_id', field: 'sharedEventID' },
] as const;

export function repairNumericIds(db: Db): { repaired: number; unreadable: number } {
  let repaired = 0;
  let unreadable = 0;
  for (const { column, field } of ID_FIELDS) {
    const rows = db.prepare(`SELECT id FROM events WHERE typeof(${column}) IN ('integer', 'real')`).pluck().all() as number[];
    const update = db.prepare(`UPDATE events SET ${column} = ? WHERE id = ?`);
    for (const id of rows) {
      let body;
      try {
        body = readEventBody(db, id);
      } catch {
        body = null;
      }
      const value = body?.record[field];
      if (typeof value !== 'string') {
        unreadable++;
        continue;
      }
      update.run(packId(value), id);
      repaired++;
    }
  }
  return { repaired, unreadable };
}
