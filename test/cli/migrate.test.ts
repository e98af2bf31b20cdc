// A case made by an older trailhound: read-only commands ask for `migrate`; migrate upgrades it in place.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/index/schema.js';
import { runCli } from '../helpers/cli.js';
import { event, writeLog } from '../helpers/evidence.js';
import { tmpDir } from '../helpers/paths.js';
import { undoExtraOccurrences } from '../helpers/older-case.js';

describe('trailhound migrate', () => {
  it('upgrades a schema-1 case; info refuses it before and works after', () => {
    const dir = tmpDir();
    writeLog(path.join(dir, 'ev'), [event(), event()]);
    const db = path.join(dir, 'case.db');
    expect(runCli(['ingest', path.join(dir, 'ev'), '--db', db, '--quiet']).code).toBe(0);
    // Make it look like a case written by the first release: only migration 0001 applied.
    const d = new Database(db);
    for (const v of d.prepare("SELECT name FROM sqlite_master WHERE type = 'view'").pluck().all() as string[]) d.exec(`DROP VIEW "${v}"`);
    undoExtraOccurrences(d);
    const v1Tables = new Set(['meta', 'strings', 'ingest_runs', 'sources', 'source_blobs', 'events', 'occurrences', 'event_resources', 'warnings']);
    for (const t of d.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]) if (!v1Tables.has(t)) d.exec(`DROP TABLE "${t}"`);
    // …and without the columns later migrations add.
    d.exec('ALTER TABLE events DROP COLUMN session_issuer_type');
    d.exec("DELETE FROM meta WHERE key LIKE 'column_from.%'");
    d.pragma('user_version = 1');
    d.close();
    const before = runCli(['info', '--db', db]);
    expect(before.code).toBe(1);
    expect(before.stderr).toContain(`has schema version 1; this trailhound uses ${MIGRATIONS.length}. Upgrade it first with: trailhound migrate --db ${db}`);
    const m = runCli(['migrate', '--db', db]);
    expect(m.code).toBe(0);
    expect(m.stdout).toBe(`${db}: schema 1 → ${MIGRATIONS.length} (${MIGRATIONS.slice(1).map((x) => x.name).join(', ')})\n`);
    const after = JSON.parse(runCli(['info', '--db', db, '--json']).stdout);
    expect(after.schemaVersion).toBe(MIGRATIONS.length);
    expect(after.events).toBe(2);
    expect(after.occurrences).toBe(2);
    expect(after.integrity).toBeNull();
  });

  it('moves a schema-3 case to extra occurrences: every place each event was seen, and its body, stay the same', () => {
    const dir = tmpDir();
    // The same events in an org trail and an account trail, one with a different body (a conflict), and a CSV row.
    const [a, b, c] = [event(), event(), event()];
    writeLog(path.join(dir, 'org'), [a, b, c]);
    writeLog(path.join(dir, 'acct'), [a, { ...b, sourceIPAddress: '198.51.100.9' }], { stamp: '20240217T1100Z' });
    const db = path.join(dir, 'case.db');
    expect(runCli(['ingest', path.join(dir, 'org'), path.join(dir, 'acct'), '--db', db, '--quiet']).code).toBe(0);
    const read = (sql: string): unknown[] => {
      const r = new Database(db, { readonly: true });
      try {
        return r.prepare(sql).all();
      } finally {
        r.close();
      }
    };
    const OCC = 'SELECT event_id, source_id, record_index, byte_offset, byte_length, variant FROM occurrences ORDER BY 1, 2, 3';
    const current = read(OCC);
    expect(current).toHaveLength(5);
    const id = String(b.eventID);
    const shown = runCli(['show', id, '--db', db, '--json']).stdout;
    const d = new Database(db);
    for (const v of d.prepare("SELECT name FROM sqlite_master WHERE type = 'view'").pluck().all() as string[]) d.exec(`DROP VIEW "${v}"`);
    undoExtraOccurrences(d);
    d.pragma('user_version = 3');
    d.close();
    expect(read(OCC)).toEqual(current);
    expect(runCli(['migrate', '--db', db]).code).toBe(0);
    expect(read(OCC)).toEqual(current);
    expect(read('SELECT count(*) AS n FROM extra_occurrences')).toEqual([{ n: 2 }]);
    expect(runCli(['show', id, '--db', db, '--json']).stdout).toBe(shown);
  });
});
