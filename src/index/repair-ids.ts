// Repairs identifiers an older trailhound let SQLite turn into numbers (schema migration 0005): the id columns are
// declared ANY, whose numeric affinity stored S3's request ID `991379651E138351` as the REAL Infinity, an all-digit
// eventID as an INTEGER (past 2^53 not even exactly) and `00012` as 12. The true text is in the record: each damaged
// value is read back from the event's record and stored as packId stores it now (ids.ts). A record that cannot be read
// (a --no-embed case whose evidence moved) leaves its value as it was, and says so in the case's warnings
// (`id_not_repaired`, naming the file and record: migrate again with the evidence back in place).

import { readEventBody } from './bodies.js';
import { packId } from './ids.js';
import type { Db } from './statements.js';

/** The warning an id that could not be repaired leaves (docs/ingest.md). */
export const ID_NOT_REPAIRED = { code: 'id_not_repaired', severity: 'error' } as const;

/** The id columns and the record field each one holds. */
const ID_FIELDS = [
  { column: 'event_id', field: 'eventID' },
  { column: 'request_id', field: 'requestID' },
  { column: 'shared_event_id', field: 'sharedEventID' },
] as const;

/** Repair every damaged id that can be; warnings of an earlier run are replaced by this run's. */
export function repairNumericIds(db: Db): { repaired: number; unreadable: number } {
  let repaired = 0;
  let unreadable = 0;
  db.prepare('DELETE FROM warnings WHERE code = ?').run(ID_NOT_REPAIRED.code);
  for (const { column, field } of ID_FIELDS) {
    const rows = db.prepare(`SELECT id FROM events WHERE typeof(${column}) IN ('integer', 'real')`).pluck().all() as number[];
    const update = db.prepare(`UPDATE events SET ${column} = ? WHERE id = ?`);
    const warn = db.prepare(
      `INSERT INTO warnings (source_id, file, record_index, code, message, severity)
       SELECT e.source_id, s.path, e.record_index, ?, ?, ? FROM events e JOIN sources s ON s.id = e.source_id WHERE e.id = ?`,
    );
    for (const id of rows) {
      let body;
      try {
        body = readEventBody(db, id);
      } catch {
        body = null;
      }
      const value = body?.record[field];
      if (typeof value !== 'string') {
        const message = `${field} was stored as a number by an older trailhound and its record could not be read to restore it; put the evidence back and run trailhound migrate again`;
        warn.run(ID_NOT_REPAIRED.code, message, ID_NOT_REPAIRED.severity, id);
        unreadable++;
        continue;
      }
      update.run(packId(value), id);
      repaired++;
    }
  }
  return { repaired, unreadable };
}
