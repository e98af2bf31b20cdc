// Cases written by older trailhound versions may hold values today's ingest refuses (an event at the end of the
// Date range, +275760-09-13). Tests of the readers put such a value in place the way an older case holds it.
import Database from 'better-sqlite3';

/** Set the stored time (ms) of an event, by eventID, in a case file; the event counts as having a time. */
export function setStoredEventTime(dbFile: string, eventId: string, ms: number): void {
  const d = new Database(dbFile);
  try {
    const n = d.prepare('UPDATE events SET event_time = ?, flags = flags & ~16 WHERE id IN (SELECT row_id FROM events_v WHERE event_id = ?)').run(ms, eventId).changes;
    if (n !== 1) throw new Error(`event ${eventId} is not in ${dbFile}`);
    d.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    d.close();
  }
}
