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

/**
 * Put a current case back the way migrations before 0004 left it (an open, writable connection; views dropped by
 * the caller): one `occurrences` row for every place an event was seen, byte offsets there, no extra_occurrences.
 */
export function undoExtraOccurrences(d: Database.Database): void {
  d.exec(`DROP VIEW IF EXISTS occurrences;
    CREATE TABLE occurrences (event_id INTEGER NOT NULL, source_id INTEGER NOT NULL, record_index INTEGER NOT NULL, byte_offset INTEGER,
      byte_length INTEGER, variant INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (event_id, source_id, record_index)) WITHOUT ROWID;
    INSERT INTO occurrences SELECT id, source_id, record_index, byte_offset, byte_length, 0 FROM events;
    INSERT INTO occurrences SELECT event_id, source_id, record_index, byte_offset, byte_length, variant FROM extra_occurrences;
    CREATE INDEX occurrences_source ON occurrences(source_id, record_index);
    DROP TABLE extra_occurrences;
    DROP INDEX IF EXISTS events_source_row;
    ALTER TABLE events DROP COLUMN byte_offset;
    ALTER TABLE events DROP COLUMN byte_length;`);
}
